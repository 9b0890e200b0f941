"""Pure Vietnamese-language helpers: text, dates, Can Chi, numbering. No IO."""
