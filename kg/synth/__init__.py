"""A synthetic corpus for measuring at scale: documents and their mappings, in the shape of the
seed corpus, whose quotes really occur in the generated text (`kg synth`)."""
