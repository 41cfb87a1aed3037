"""Room recording (DESIGN.md §5): camera sources, the check-in face check, and the crash-safe recorder.

sources (cameras, paced files, stream-copy packets) → overlay (burn-in) → writer (MPEG-TS segments) →
feed (the recorder's signed feed) ← recorder (loop, health, faults) ← process (child process, preview API);
verify checks a recording folder.
"""
