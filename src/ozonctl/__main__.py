"""``python -m ozonctl``."""

from ozonctl._entry import main

if __name__ == "__main__":
    main()
