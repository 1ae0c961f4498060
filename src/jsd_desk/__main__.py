from jsd_desk.cli import main

# Guarded: verify's worker processes are spawned, and a spawned process imports this module.
if __name__ == "__main__":
    raise SystemExit(main())
