"""Homeward: coordinating the safe, voluntary return of displaced people."""
