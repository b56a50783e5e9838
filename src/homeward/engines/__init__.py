"""Pure-Python engines: no Django imports, so they run and test on their own."""
