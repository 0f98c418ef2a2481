"""Models of the incubator app."""
