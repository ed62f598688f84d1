"""The dashboards leaders, councils and the public look at (see README.md in this folder)."""
