"""Analysen: Empfehlungen der Jugendhilfeplanung je Sozialraum und Jahr (Jahresbericht, R9).

Revision ID: 0005_analysen
Revises: 0003_gremium
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_analysen'
down_revision = '0003_gremium'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('empfehlung',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sozialraum_id', sa.Integer(), nullable=True),
    sa.Column('jahr', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('geaendert_von', sa.String(length=80), nullable=True),
    sa.Column('geaendert_am', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sozialraum_id'], ['sozialraum.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sozialraum_id', 'jahr')
    )
    with op.batch_alter_table('empfehlung', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_empfehlung_sozialraum_id'), ['sozialraum_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('empfehlung', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_empfehlung_sozialraum_id'))
    op.drop_table('empfehlung')
