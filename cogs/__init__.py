"""Discord adapters: turn Discord events into jobs and jobs into messages (no torch here)."""
