"""PDF documents of a session (Qt-free): opening record, commitment letters, score sheets, summary, report."""
