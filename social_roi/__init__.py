"""Social-media ROI pipeline."""
