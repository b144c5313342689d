# Checklists, the major-hazard criteria catalogue and inspections arrive with their own issues.
