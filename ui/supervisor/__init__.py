"""The supervisor's screen (监督): live progress, the event stream, the camera, pause/resume, incidents."""
