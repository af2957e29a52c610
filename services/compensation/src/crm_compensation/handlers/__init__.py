SOURCE = "compensation"  # the `source` of what this service publishes
