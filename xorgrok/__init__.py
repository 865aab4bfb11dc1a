"""xorgrok: numerical verification of GrokTransfer (ICLR 2025) and Xu et al. (ICLR 2024).

Importing the package has no side effects: no global dtype, thread or seed settings.
"""

__version__ = "0.1.0"
