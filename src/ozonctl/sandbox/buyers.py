"""Seeded product questions and buyer chats of the demo shop, tied to its products and
postings, and the rules Ozon's document states for them.

Questions (``/v1/question/*``, Premium Plus or Premium Pro): about a third answered and
``PROCESSED``, the rest ``NEW`` or ``VIEWED``; an answer marks the question ``PROCESSED``
(the sandbox's reading: Ozon's document says nothing of a status change; ozonctl never
relies on it, it reads ``answers_count`` too).

Chats (``/v3/chat/*``; sending, opening and reading need Premium Plus or Premium Pro):
one per posting a buyer wrote about, plus Ozon's support chat. Ozon's windows for the
seller's messages: FBO — within 48 h of the buyer's last message; FBS/rFBS — after
payment and up to 72 h after delivery, then only within 48 h of the buyer's last
message. A new chat: FBO never (only the buyer starts one), FBS within 72 h of payment
or of delivery.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .orders import Posting
    from .shop import Shop

MAX_QUESTIONS = 40
MAX_CHATS = 12
PLUS_TIERS = frozenset({"premium-plus", "premium-pro"})
"""Tiers Ozon's question methods and chat writes answer (Premium Plus or Premium Pro)."""
REPLY_WINDOW = timedelta(hours=48)
AFTER_DELIVERY = timedelta(hours=72)

QUESTIONS = (
    "Подойдёт ли к модели 2024 года?",
    "Какой размер у упаковки?",
    "Есть ли гарантия?",
    "Когда будет снова в наличии?",
    "这个产品有中文说明书吗？",
    "Можно ли стирать в машинке?",
)
AUTHORS = ("Анна", "Игорь", "Мария", "Дмитрий", "王芳", "Ольга")
BUYER_LINES = (
    "Здравствуйте! Когда отправите заказ?",
    "Пришёл не тот цвет, что делать?",
    "Можно поменять адрес доставки?",
    "您好，请问什么时候发货？",
    "Спасибо, всё получил.",
)


@dataclass(slots=True)
class Answer:
    id: str
    text: str
    published_at: datetime
    author_name: str = "Продавец"


@dataclass(slots=True)
class Question:
    id: str
    sku: int
    product_index: int
    text: str
    author_name: str
    published_at: datetime
    status: str
    answers: list[Answer] = field(default_factory=list)


@dataclass(slots=True)
class Message:
    id: int
    user_type: str
    """``Customer``, ``Seller``, ``Support``…"""
    text: str
    created_at: datetime
    is_read: bool
    is_image: bool = False


@dataclass(slots=True)
class Chat:
    id: str
    chat_type: str
    created_at: datetime
    posting: str = ""
    order_number: str = ""
    sku: int = 0
    status: str = "OPENED"
    messages: list[Message] = field(default_factory=list)

    @property
    def unread(self) -> list[Message]:
        return [m for m in self.messages if not m.is_read and m.user_type != "Seller"]


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


@dataclass
class Buyers:
    questions: list[Question]
    """Newest first."""
    chats: list[Chat]
    """Newest first."""
    next_id: int = 1
    next_message: int = 3_000_000_000

    @classmethod
    def generate(cls, shop: Shop) -> Buyers:
        rng = random.Random(f"buyers-{shop.seed}")
        cat = shop.catalog
        live = [i for i in range(cat.n) if cat.exists(i) and cat.sku(i)]
        found = cls([], [])
        for k in range(min(MAX_QUESTIONS, len(live))):
            i = live[rng.randrange(len(live))]
            asked = shop.now - timedelta(hours=3 + k * 13 + rng.randrange(10))
            answered = k % 3 == 2
            q = Question(
                id=f"{shop.seed:04d}{k:06d}",
                sku=cat.sku(i),
                product_index=i,
                text=QUESTIONS[rng.randrange(len(QUESTIONS))],
                author_name=AUTHORS[rng.randrange(len(AUTHORS))],
                published_at=asked,
                status="PROCESSED" if answered else ("VIEWED" if k % 4 == 1 else "NEW"),
            )
            if answered:
                q.answers.append(found._answer("Да, подойдёт.", asked + timedelta(hours=2)))
            found.questions.append(q)
        postings = sorted(shop.orders.fbs, key=lambda p: -p.in_process_at)
        postings = [p for p in postings if p.lines]
        fbo = [p for p in shop.orders.fbo if p.lines][:2]
        picked = postings[: MAX_CHATS - 1 - len(fbo)] + fbo
        for k, p in enumerate(picked):
            found.chats.append(found._seed_chat(shop, p, k, rng))
        support = Chat(
            id=f"{shop.seed:08x}-0000-4000-8000-support00000",
            chat_type="SELLER_SUPPORT",
            created_at=shop.now - timedelta(days=20),
        )
        found._post(support, "Support", "Ваше обращение принято.", support.created_at, True)
        found.chats.append(support)
        found.chats.sort(key=lambda c: c.messages[-1].created_at, reverse=True)
        return found

    def _answer(self, text: str, when: datetime) -> Answer:
        answer = Answer(f"{self.next_id:012d}", text, when)
        self.next_id += 1
        return answer

    def _seed_chat(self, shop: Shop, p: Posting, k: int, rng: random.Random) -> Chat:
        paid = _utc(p.in_process_at) + timedelta(minutes=10)
        opened = max(
            min(paid, shop.now - timedelta(hours=2 + k * 5)), shop.now - timedelta(days=20)
        )
        chat = Chat(
            id=f"{shop.seed:08x}-{k:04x}-4000-8000-{p.order_id:012d}"[-36:],
            chat_type="BUYER_SELLER",
            created_at=opened,
            posting=p.number,
            order_number=p.order_number,
            sku=p.lines[0].sku,
        )
        last = min(shop.now - timedelta(minutes=20), opened + timedelta(hours=1 + k * 7 % 50))
        self._post(chat, "Customer", BUYER_LINES[rng.randrange(len(BUYER_LINES))], opened, True)
        if k % 3 == 0:  # the seller answered and nothing new since
            self._post(chat, "Seller", "Здравствуйте! Отправим сегодня.", last, True)
        else:  # the buyer wrote last; unread in most
            text = BUYER_LINES[rng.randrange(len(BUYER_LINES))]
            self._post(chat, "Customer", text, max(last, opened), k % 3 == 2)
        return chat

    def _post(self, chat: Chat, who: str, text: str, when: datetime, read: bool) -> Message:
        message = Message(self.next_message, who, text, when, read)
        self.next_message += 1
        chat.messages.append(message)
        return message

    # --- lookups and changes (handlers call these under the shop's lock) --------------------

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def chat(self, chat_id: str) -> Chat | None:
        return next((c for c in self.chats if c.id == chat_id), None)

    def answer(self, q: Question, text: str, now: datetime) -> Answer:
        answer = self._answer(text, now)
        q.answers.append(answer)
        q.status = "PROCESSED"
        return answer

    def send(self, chat: Chat, text: str, now: datetime) -> Message:
        return self._post(chat, "Seller", text, now, True)

    def read(self, chat: Chat, up_to: int | None) -> int:
        for m in chat.messages:
            if up_to is None or m.id <= up_to:
                m.is_read = True
        return len(chat.unread)

    def start(self, shop: Shop, p: Posting) -> Chat:
        """The posting's chat: the one that exists, or a new one."""
        for chat in self.chats:
            if chat.posting == p.number:
                return chat
        chat = Chat(
            id=f"{shop.seed:08x}-ffff-4000-8000-{p.order_id:012d}"[-36:],
            chat_type="BUYER_SELLER",
            created_at=shop.now,
            posting=p.number,
            order_number=p.order_number,
            sku=p.lines[0].sku,
        )
        self.chats.insert(0, chat)
        return chat


def send_refusal(shop: Shop, chat: Chat) -> str | None:
    """Why Ozon would refuse the seller's message in ``chat`` now, or None."""
    if chat.chat_type not in ("BUYER_SELLER", "BUYER_SELLER_SELECT"):
        return None
    now = shop.now
    from_buyer = [m.created_at for m in chat.messages if m.user_type == "Customer"]
    if from_buyer and now - max(from_buyer) <= REPLY_WINDOW:
        return None
    p = shop.orders.by_number.get(chat.posting)
    if p is not None and p.scheme == "fbs":
        delivered = _utc(p.delivered_at) if p.delivered_at else None
        if p.status not in ("cancelled",) and (
            delivered is None or now - delivered <= AFTER_DELIVERY
        ):
            return None
    return (
        "the message can't be sent: more than 48 hours since the buyer's last message "
        "and outside the posting's window"
    )


def start_refusal(shop: Shop, p: Posting) -> str | None:
    """Why Ozon would refuse to open a chat on posting ``p`` now, or None."""
    if p.scheme == "fbo":
        return "for FBO postings only the buyer can start a chat"
    now = shop.now
    paid = _utc(p.in_process_at)
    delivered = _utc(p.delivered_at) if p.delivered_at else None
    if now - paid <= AFTER_DELIVERY or (delivered and now - delivered <= AFTER_DELIVERY):
        return None
    return "a chat can be opened within 72 hours of payment or of delivery"
