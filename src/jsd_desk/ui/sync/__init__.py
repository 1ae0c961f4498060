"""The Sync page: ``page`` assembles one panel per box and wires them; ``device_panel``,
``bundles_panel``, ``peers_panel``, ``folder_panel``, ``outbox_panel``, ``held_panel`` and
``verify_panel`` are those boxes (``panel`` their base, ``jobs`` the one background operation
they share); ``peer_card`` checks a card; ``columns`` holds the tables' columns and the
summaries; ``widgets`` small pieces of the panels."""
