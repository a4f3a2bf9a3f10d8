import ArgumentParser

/// `gallery-hub`: move image galleries between platforms.
@main
struct GalleryHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery-hub",
        abstract: "Move image galleries between platforms without losing bytes, order, covers or captions.",
        discussion: """
            A REMOTE is a name from the remotes file (`sandbox-omnitcode:`), an inline remote (`local:./photos`), \
            or a plain folder path. Exit codes are listed in Docs/cli.md.
            """,
        version: "0.1.0",
        subcommands: [
            BackendsCommand.self,
            RemotesCommand.self,
            ListCommand.self,
            PlanCommand.self,
            CopyCommand.self,
            VerifyCommand.self,
            BenchCommand.self,
            SandboxCommand.self,
            DemoCommand.self,
        ]
    )
}
