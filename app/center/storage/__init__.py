"""Center storage: SQL metadata (``db``) and blobs (``blobs``), both chosen by URL."""
