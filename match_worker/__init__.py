"""Face matching: compares photos from public tips with the photos of missing children and their
companions, and gives investigators ranked leads to review (see ARCHITECTURE.md).

Not built yet: the engine (`match_worker.engine`, plain Python, no Django) and the job handlers
come with the face-matching issue. Nothing here may ever write to the public snapshot.
"""
