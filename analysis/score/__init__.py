"""Scoring new customers with the report's model (pandas chunks or dask), beside the stages."""
