"""The evaluation report in the GUI: preview, the members' signing dialog, the console's report and archive page."""
