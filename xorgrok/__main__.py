"""`python -m xorgrok` lists the commands."""

print(
    "xorgrok commands:\n"
    "  python -m xorgrok.verify     check the XOR theory's assumptions, lemmas and claims (the main job)\n"
    "  python -m xorgrok.casestudy  one end-to-end run: weak net -> U -> f_L after one GD step\n"
    "  python -m xorgrok.bench      Gram-space engine vs plain autograd GD (Fig. 4a setting)\n"
    "  python -m figures list       the paper's figures, one command each\n"
    "  python -m xorgrok.report     regenerate docs/reproduction.md\n"
)
