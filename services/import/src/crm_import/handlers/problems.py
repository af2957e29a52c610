"""The service's name in the events it publishes."""
SOURCE = "import"
