"""The hospital hub: storage (SQLite or PostgreSQL), merge, HTTP app, FHIR export, distribution."""
