"""Interactive apps of the course: one class per module, each built on :class:`course.apps.base.App`."""
