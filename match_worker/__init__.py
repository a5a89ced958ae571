"""Face matching: compares photos from public tips with the photos of missing children and their
companions, and gives investigators ranked leads to review (see ARCHITECTURE.md).

The engine is plain Python with no Django, one module per step:

- ``images``     — decode any photo into upright RGB; plan the detection scale
- ``engine``     — ``FaceEngine``: detect faces (dlib HOG, or CNN) and encode each as 128 numbers
- ``gallery``    — ``ExactGallery`` (NumPy) and ``FaissHNSWGallery`` behind one ``Gallery``
- ``ranking``    — group photo hits by child or companion; distances in words for reviewers
- ``evaluation`` — ``python -m match_worker eval DATASET_DIR``: accuracy on labelled photos
- ``bench``      — ``python -m match_worker.bench``: throughput and search latency

Not built yet: the job handlers that run the engine for the CMS's task queue. Nothing here may
ever write to the public snapshot: leads are private, and a person confirms or dismisses each.
"""
