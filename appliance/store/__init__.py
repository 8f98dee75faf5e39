"""The encrypted record store: SQLCipher through sqlite-utils, migrations, events and audit."""
