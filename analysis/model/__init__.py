"""Stage 2, the model: candidate families and their search, evaluation on held-out customers,
the evidence for the features, the chosen pipeline on disk (and the correlations the search uses)."""
