// The Stash adapter; see StashBackend.swift.
