"""The Flask faces of doctpl: HTML pages and the JSON API. Parsing and presenting only; logic lives in doctpl."""
