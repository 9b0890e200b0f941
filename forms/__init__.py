"""One declaration per document kind; doctpl.kind.registry() loads every module here that has KIND."""
