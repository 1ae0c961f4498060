"""The Platforms & places page: ``page`` (the page), ``models`` (its lists), ``dialogs``
(new place, new platform), ``editor`` (one platform's fields)."""
