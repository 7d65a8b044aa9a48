"""The daily maximum has one home, the `plan.daily_max` setting: a plan put to use writes its maximum there,
and both the campaign check and the ledger's reservations read it from there, so they can never disagree."""

from __future__ import annotations

import pytest

from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import Ledger
from smsjingling.account.plans import Tariff
from smsjingling.errors import ValidationError
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.channels import add_gateway
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import DAILY_MAX
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database


def test_the_plan_in_use_sets_the_one_daily_maximum_both_checks_read(db: Database) -> None:
    settings = Settings(db)
    settings.set(SIGNATURE, "测试单位")
    add_gateway(db, "网关", "https://gateway.example.com", "office", demo=True)
    accounts = Accounts(db, "管理员")
    accounts.save_plan(Tariff("小套餐", monthly_fee_fen=0, included=0, overage_fen=5, daily_max=20))
    assert settings.get(DAILY_MAX) == 50_000  # a plan not in use changes nothing
    account_id = accounts.open("网关", plan="小套餐")
    assert settings.get(DAILY_MAX) == 20  # put to use: its maximum is the office's
    ledger = Ledger(db, account_id=account_id)
    assert ledger.tariff().daily_max == 20
    ledger.top_up(10_000)

    campaigns = Campaigns(db, "管理员", matcher=lambda: None)
    numbers = tuple(f"1390000{i:04d}" for i in range(25))
    with pytest.raises(ValidationError) as over:
        campaigns.create(CampaignRequest("通知", Recipients(numbers=numbers), channel_policy="gateway"))
    assert over.value.key == "send.over_daily_max" and over.value.params["cap"] == 20
    assert over.value.params["over"] == 5

    accounts.save_plan(Tariff("小套餐", overage_fen=5, daily_max=30))  # the plan in use changes: so does the cap
    assert settings.get(DAILY_MAX) == 30
    campaigns.create(CampaignRequest("通知", Recipients(numbers=numbers), channel_policy="gateway"))
    assert len(ledger.open_reservations()) == 25

    settings.set(DAILY_MAX, 26)  # an admin lowers it in the settings: the ledger reads the same figure
    assert ledger.tariff().daily_max == 26
    with pytest.raises(ValidationError) as again:
        ledger.reserve_priced(None, [(9_001, 1), (9_002, 1)])
    assert again.value.key == "account.over_daily_max" and again.value.params["cap"] == 26
