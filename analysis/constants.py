"""Business constants shared by every module: one place to change them."""

RANDOM_STATE = 42

RAW_FILES = ("market_file.csv", "market_money.csv", "market_time.csv", "money.csv")

# The public course location of the raw files (the last place fetch-data looks).
PUBLIC_DATA_URL = "https://code.s3.yandex.net/datasets/"

POSITIVE_CLASS = "Снизилась"
NEGATIVE_CLASS = "Прежний уровень"
ACTIVITY_CLASSES = (POSITIVE_CLASS, NEGATIVE_CLASS)

# A customer-month with revenue above this many typical months (the median over all
# customer-months with a purchase) is not believable for this store; such a customer
# is excluded. On the real data any factor from 2 to 20 flags the same single month.
OUTLIER_REVENUE_FACTOR = 5

# The business trade-off that sets the model's threshold (chapters/03-model.qmd).
# A customer whose activity drops and who gets no offer costs the store their profit
# over the forecast horizon; a personal offer costs this share of the receiver's
# profit over the same horizon, whether or not they would have dropped.
HORIZON_MONTHS = 3
OFFER_COST_SHARE = 0.3
