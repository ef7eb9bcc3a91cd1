"""Model utilities (the estimator has not moved here yet)."""
