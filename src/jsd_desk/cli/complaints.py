"""receipt, target (extensions of DESIGN §7): where a complaint stands for its complainant,
and the target times of complaints."""

from __future__ import annotations

import argparse
from typing import Any

from jsd_desk.cli.common import add_command, open_from_args
from jsd_desk.domain.vocab import COMPLAINT_CATEGORY, COMPLAINT_SEVERITY
from jsd_desk.i18n import _


def register(sub: Any) -> None:
    p = add_command(sub, "receipt", _("tell a complainant, from a receipt code, where the "
                                      "complaint stands (and nothing else)"))
    p.add_argument("code", metavar="RECEIPT_CODE")
    p.add_argument("--lang", required=True, choices=("fr", "en"),
                   help=_("the language of the answer, whatever the interface's"))
    p.set_defaults(handler=cmd_receipt)

    p = add_command(sub, "target", _("show or set the target times of complaints"))
    p.add_argument("action", choices=("list", "set", "clear"))
    p.add_argument("--platform", metavar="PLATFORM_ID",
                   help=_("a platform's own target (default: the ministry's, for every platform)"))
    # Codes are checked by the service, so a wrong one gets the same translated sentence as in
    # the GUI (and exit status 3), not argparse's English usage line.
    p.add_argument("--category", metavar="CODE", help=" ".join(COMPLAINT_CATEGORY.codes()))
    p.add_argument("--severity", metavar="CODE",
                   help=_("one of {codes}; without it, every severity")
                   .format(codes=", ".join(COMPLAINT_SEVERITY.codes())))
    p.add_argument("--review-days", type=int, metavar="N")
    p.add_argument("--referral-days", type=int, metavar="N")
    p.add_argument("--resolution-days", type=int, metavar="N")
    p.set_defaults(handler=cmd_target)


def cmd_receipt(args: argparse.Namespace) -> int:
    from jsd_desk.services.receipts import receipt_message, receipt_status

    ws = open_from_args(args)
    try:
        print(receipt_message(receipt_status(ws.store, args.code), args.lang))
    finally:
        ws.close()
    return 0


def cmd_target(args: argparse.Namespace) -> int:
    from jsd_desk.domain.errors import UsageError
    from jsd_desk.i18n import N_
    from jsd_desk.services import targets

    if args.action in ("set", "clear") and not args.category:
        raise UsageError(N_("Say which category (--category)."))
    days = (args.review_days, args.referral_days, args.resolution_days)
    if args.action == "set" and None in days:
        raise UsageError(N_("Give --review-days, --referral-days and --resolution-days."))
    ws = open_from_args(args)
    try:
        if args.action == "set":
            targets.set_target(ws.store, category=args.category, severity=args.severity,
                               platform_id=args.platform, review_days=days[0],
                               referral_days=days[1], resolution_days=days[2])
        elif args.action == "clear":
            targets.clear_target(ws.store, category=args.category, severity=args.severity,
                                 platform_id=args.platform)
        for line in targets.effective_targets(ws.store, args.platform):
            t = line.target
            print(f"{line.category}\t{line.severity}\t{t.review_days}\t{t.referral_days}\t"
                  f"{t.resolution_days}\t{line.source}")
    finally:
        ws.close()
    return 0
