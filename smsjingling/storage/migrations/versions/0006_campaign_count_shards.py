"""Campaign counters in shards: a shard column in the key of campaign_counts.

On a shared server every desktop's dispatcher (and each of its modem threads) changes a campaign's counters
with each message it marks sending or records sent. With one row per (campaign, status), those transactions
all wait for one another's row locks. Each connection now adds its changes to rows of its own shard (the
server's process id for the connection, modulo 64; SQLite, with one writer at a time, uses shard 0), and
readers sum the shards. A shard's row may be negative (a message queued in one shard and sent in another);
the sum over the shards is what equals the messages.

Existing rows become shard 0.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_counts") as batch:
        batch.add_column(sa.Column("shard", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_constraint("pk_campaign_counts", type_="primary")
        batch.create_primary_key("pk_campaign_counts", ["campaign_id", "status", "shard"])


def downgrade() -> None:
    # The shards of each (campaign, status) summed into one row again.
    op.execute(
        "CREATE TABLE campaign_counts_sum AS SELECT campaign_id, status, SUM(count) AS count "
        "FROM campaign_counts GROUP BY campaign_id, status"
    )
    op.execute("DELETE FROM campaign_counts")
    with op.batch_alter_table("campaign_counts") as batch:
        batch.drop_constraint("pk_campaign_counts", type_="primary")
        batch.drop_column("shard")
        batch.create_primary_key("pk_campaign_counts", ["campaign_id", "status"])
    op.execute("INSERT INTO campaign_counts (campaign_id, status, count) SELECT * FROM campaign_counts_sum")
    op.execute("DROP TABLE campaign_counts_sum")
