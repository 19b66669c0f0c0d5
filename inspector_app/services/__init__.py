"""Use cases as plain functions: they take the Database, enforce the domain rules and
return frozen DTOs (safe across threads) or what changed. No Qt, no dialogs."""
