"""Domain: compose `scanners` and `watchlists` with persistence; functions take a Session."""
