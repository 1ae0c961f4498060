"""The Sessions page: list, editor, attendance grid."""
