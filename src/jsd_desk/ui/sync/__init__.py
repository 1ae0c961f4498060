"""The Sync page: ``page`` (the page and its operations), ``peer_card`` (checking a
card), ``columns`` (its tables and summaries), ``widgets`` (small pieces of its panels)."""
