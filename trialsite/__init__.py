"""trialsite: turn clinical-trial data and plain-language explainers into an accessible static site."""
