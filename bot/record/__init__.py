"""Case records: the written record of one case, for the police or a lawyer (PDF)."""
