"""The inspection pages: starting an inspection, its checklist, its findings, completion and the order."""
