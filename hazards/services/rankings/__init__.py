"""The quarterly ranking (赛马) of regions and enterprises on their hazard work."""
