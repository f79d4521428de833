# Deliberately nothing: bench/run times `pwsh -NoProfile -NonInteractive -File empty.ps1` beside the renewal script, so
# that pwsh's own start-up (which this project cannot change) is a figure of the same run.
