"""Stage 1, the data: fetch and verify the raw files, read and validate them, clean them (every fix
in the audit), build the modelling table (one row per regular customer) and describe it."""
