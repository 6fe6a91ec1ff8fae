"""Stage 4, the decisions: the campaign's economics, segments and their offers, the experiment
that would measure an offer's effect, and the campaign plan."""
