//! Who is asking: password hashing, one-time secrets, server-side sessions and the
//! viewer of the current request. Every secret that reaches a browser or a mailbox
//! (session ids, sign-in and password links) is 256 bits from the OS random source
//! and is stored only as its SHA-256 hash.
use super::db::{Store, StoreError, StoreResult};
use super::request::RequestInfo;
use crate::domain::MembershipCategory;
use crate::on_pool;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The name of the session cookie over plain HTTP (the embedded default, on
/// loopback); over HTTPS it is [`SECURE_SESSION_COOKIE`].
pub const SESSION_COOKIE: &str = "convene_session";
/// Over HTTPS: the `__Host-` prefix makes browsers refuse the cookie unless it is
/// `Secure`, has `Path=/` and no `Domain`, so no other host can set or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-convene_session";

/// How long a sign-in link and a password link stay valid.
pub const SIGN_IN_LINK_VALIDITY: Duration = Duration::minutes(15);
pub const PASSWORD_LINK_VALIDITY: Duration = Duration::hours(24);

/// Security settings from the environment, shared by every request.
#[derive(Debug, Clone)]
pub struct SecuritySettings {
    /// `CONVENE_PUBLIC_URL`: the address people use, e.g. `https://convene.example.eu`.
    /// Links in mail start with it; requests must come from its origin; HTTPS turns
    /// on `Secure` cookies and HSTS.
    pub public_url: Option<url::Url>,
    /// `CONVENE_SESSION_IDLE_MINUTES`: a session unused this long ends.
    pub session_idle: Duration,
    /// `CONVENE_SESSION_MAX_HOURS`: a session ends this long after sign-in, used or not.
    pub session_max: Duration,
    /// `CONVENE_TRUSTED_PROXIES`: reverse proxies whose `X-Forwarded-For` names the
    /// client (for rate limits and the audit log).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The address the server listens on (set once the socket is bound). Without a
    /// public URL, links and the origin check follow it — never a request header.
    pub listen: Option<std::net::SocketAddr>,
}

impl SecuritySettings {
    pub fn https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|u| u.scheme() == "https")
    }

    /// The origin of the site: the public URL's, or else the listening address's
    /// (`http://127.0.0.1:3000` by default). Never taken from a request.
    pub fn origin(&self) -> String {
        match &self.public_url {
            Some(u) => u.origin().ascii_serialization(),
            None => format!(
                "http://{}",
                self.listen
                    .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 3000)))
            ),
        }
    }

    /// The origins a state-changing request may come from: the public URL's; or,
    /// without one (the server then listens on loopback only), the listening address
    /// and its `localhost` spelling.
    pub fn allowed_origins(&self) -> Vec<String> {
        let mut origins = vec![self.origin()];
        if let (None, Some(listen)) = (&self.public_url, self.listen) {
            if listen.ip().is_loopback() {
                origins.push(format!("http://localhost:{}", listen.port()));
            }
        }
        origins
    }

    /// An absolute link for mail: the site's origin and `path_and_query`.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.origin())
    }

    /// The start-up rule: without `CONVENE_PUBLIC_URL`, Convene only listens on a
    /// loopback address, since it could not otherwise know the address people use.
    pub fn check_exposure(&self, listen: std::net::SocketAddr) -> Result<(), String> {
        if self.public_url.is_none() && !listen.ip().is_loopback() {
            return Err(format!(
                "Convene listens on {listen}, which is not a loopback address, but CONVENE_PUBLIC_URL is not set: set it to the address people use (such as https://convene.example.eu), so that mailed links and the origin check never depend on what a request claims."
            ));
        }
        Ok(())
    }

    /// The session cookie's name: `__Host-` pins it to this host over HTTPS.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.https() {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            public_url: None,
            session_idle: Duration::minutes(60),
            session_max: Duration::hours(12),
            trusted_proxies: Vec::new(),
            listen: None,
        }
    }
}

/// The key that signs what the server hands the browser to give back unchanged
/// (the notice shown after a form succeeded): HMAC-SHA256 with 256 random bits,
/// made once per database and kept in its `settings`, so every server process
/// sharing the database signs and checks alike. Never printed.
#[derive(Clone)]
pub struct SigningKey(Arc<[u8; 32]>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(…)")
    }
}

const SIGNING_KEY_SETTING: &str = "signing_key";

impl SigningKey {
    /// The database's key, made on first use (two processes starting at once
    /// agree: the first one's is kept).
    pub async fn of(store: &Store) -> StoreResult<Self> {
        let mut fresh = [0u8; 32];
        OsRng.fill_bytes(&mut fresh);
        let hex: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
        let kept = store.setting_or_insert(SIGNING_KEY_SETTING, &hex).await?;
        let mut key = [0u8; 32];
        if kept.len() != 64 || !kept.is_ascii() {
            return Err(anyhow::anyhow!("the stored signing key is not 64 hex digits").into());
        }
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&kept[2 * i..2 * i + 2], 16)
                .map_err(|_| anyhow::anyhow!("the stored signing key is not hex"))?;
        }
        Ok(Self(Arc::new(key)))
    }

    /// A key of its own, for tests.
    #[cfg(test)]
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        Self(Arc::new(key))
    }

    fn mac(&self) -> hmac::Hmac<Sha256> {
        use hmac::Mac;
        hmac::Hmac::<Sha256>::new_from_slice(&self.0[..]).expect("any key length")
    }

    /// The signature of `message` (URL-safe base64).
    pub fn sign(&self, message: &[u8]) -> String {
        use hmac::Mac;
        let mut mac = self.mac();
        mac.update(message);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Whether `signature` is this key's of `message` (compared in constant time).
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        use hmac::Mac;
        let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        let mut mac = self.mac();
        mac.update(message);
        mac.verify_slice(&bytes).is_ok()
    }
}

/// A fresh secret for a cookie or a link, and the hash to store.
pub fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_secret(&secret);
    (secret, hash)
}

/// The stored form of a secret: lowercase hex SHA-256.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// At most this many password hashes are computed at once, each on a blocking
/// thread: a burst of sign-ins waits its turn instead of stalling every request
/// on the async executor.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

/// [`hash_password`] on a blocking thread, behind the bound.
pub async fn hash_password_blocking(password: String) -> anyhow::Result<String> {
    let _slot = hashing_slots().acquire().await?;
    tokio::task::spawn_blocking(move || hash_password(&password)).await?
}

/// [`verify_password`] on a blocking thread, behind the bound.
pub async fn verify_password_blocking(password: String, stored: Option<String>) -> bool {
    let Ok(_slot) = hashing_slots().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .unwrap_or(false)
}

/// Whether `password` matches the stored hash. With no hash (unknown address or no
/// password set) it still does the same work, so timing does not tell which.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY
        .get_or_init(|| hash_password("a password no account has, for timing").unwrap_or_default());
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

/// One active membership of the viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipGrant {
    pub network_id: crate::ids::NetworkId,
    pub category: MembershipCategory,
    pub member_state: Option<String>,
}

/// How the person of a request proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// Signed in: the hash of this request's session id.
    Session { hash: String },
    /// A guest with a personal link (see `platform::guests`): one event, some
    /// actions, no account.
    Guest {
        link_id: i64,
        event_id: crate::ids::EventId,
        scope: Vec<super::guests::GuestAction>,
    },
}

/// The person of a request, with what the policy needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    /// The secretariat's rights (never for a guest).
    pub secretariat: bool,
    /// Active memberships (none for a guest: a link proves the person only for
    /// its own event and actions).
    pub memberships: Vec<MembershipGrant>,
    /// The events this person chairs or organises (none for a guest).
    pub event_roles: Vec<(crate::ids::EventId, crate::domain::EventRole)>,
    /// The workshops this person chairs, as (event, agenda item): they edit those
    /// items' title, description and speakers (none for a guest).
    pub workshop_chairs: Vec<(crate::ids::EventId, i64)>,
    /// The events this person holds a live invitation to: signed in, they answer
    /// it (and register) as a guest of that event may (none for a guest, whose
    /// link says it).
    pub invited_to: Vec<crate::ids::EventId>,
    pub identity: Identity,
}

impl Viewer {
    /// The hash of the session, for a signed-in person.
    pub fn session_hash(&self) -> Option<&str> {
        match &self.identity {
            Identity::Session { hash } => Some(hash),
            Identity::Guest { .. } => None,
        }
    }

    pub fn is_guest(&self) -> bool {
        matches!(self.identity, Identity::Guest { .. })
    }
}

/// Starts a session for `person_id` inside the sign-in's transaction; returns the
/// cookie value.
pub async fn create_session(
    tx: &mut super::db::Tx<'_>,
    person_id: i64,
    info: &RequestInfo,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let (secret, hash) = new_secret();
    crate::on_tx!(tx, pool => {
        sqlx::query(
            "INSERT INTO sessions (id_hash, person_id, created_at, last_seen_at, client, user_agent)
             VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(&hash)
        .bind(person_id)
        .bind(now)
        .bind(info.client.as_deref())
        .bind(info.user_agent.as_deref())
        .execute(pool)
        .await?;
    });
    Ok(secret)
}

/// A session's viewer as read from the database, kept by this process while
/// nothing it was made of has changed (see [`viewer_for_session`]).
struct KeptViewer {
    /// `viewer_version` when it was read (read before it).
    version: i64,
    /// The day it was read for: memberships begin and end with a day.
    day: chrono::NaiveDate,
    created_at: DateTime<Utc>,
    /// When the session was last seen, as stored (read, or touched by this process).
    last_seen_at: DateTime<Utc>,
    viewer: Viewer,
}

/// A session's `last_seen_at` is moved on at most once this often: one write per
/// minute per session, not per request.
const TOUCH_EVERY: Duration = Duration::minutes(1);

impl KeptViewer {
    /// Whether it may stand for the session at `now` under `version`: read under
    /// that version on the same day, and the session last seen less than a minute
    /// ago (so not idle, and not yet due for its touch, which reads it again) and
    /// within its maximum life.
    fn answers(&self, version: i64, now: DateTime<Utc>, settings: &SecuritySettings) -> bool {
        self.version == version
            && self.day == now.date_naive()
            && now - self.last_seen_at <= TOUCH_EVERY.min(settings.session_idle)
            && now - self.created_at <= settings.session_max
    }
}

impl super::kept::Weighed for KeptViewer {
    fn bytes(&self) -> usize {
        let v = &self.viewer;
        std::mem::size_of::<Self>()
            + v.name.len()
            + v.email.len()
            + v.memberships.len() * (std::mem::size_of::<MembershipGrant>() + 8)
            + (v.event_roles.len() + v.workshop_chairs.len() + v.invited_to.len()) * 16
    }
}

/// The viewers kept: at most 8 MiB (some tens of thousands of sessions), the
/// oldest going first.
static KEPT_VIEWERS: std::sync::LazyLock<std::sync::Mutex<super::kept::Bounded<KeptViewer>>> =
    std::sync::LazyLock::new(|| std::sync::Mutex::new(super::kept::Bounded::new(8 << 20)));

/// The viewer behind a session cookie value, or None when the session does not
/// exist, has been idle too long or lived its maximum (it is then removed) or its
/// account is disabled.
///
/// Read from the database at most once a minute per session (when its
/// `last_seen_at` is due to move on) and whenever `viewer_version` changed: any
/// write to what a viewer is made of raises it (see its migration), which reaches
/// this process at once for its own writes and within a millisecond or so for
/// another's ([`super::versions`]). In between, the viewer read last is the
/// answer: signed-in pages cost one statement fewer (on PostgreSQL the most
/// expensive of their three).
pub async fn viewer_for_session(
    store: &Store,
    secret: &str,
    settings: &SecuritySettings,
    now: DateTime<Utc>,
) -> StoreResult<Option<Viewer>> {
    use super::versions::{current, Counter};
    let hash = hash_secret(secret);
    let version = current(store, Counter::Viewers).await?;
    let kept = KEPT_VIEWERS.lock().ok().and_then(|k| k.get(&hash));
    if let Some(kept) = kept.filter(|k| k.answers(version, now, settings)) {
        return Ok(Some(kept.viewer.clone()));
    }
    let read = read_session(store, hash.clone(), version, settings, now).await?;
    let viewer = read.as_ref().map(|k| k.viewer.clone());
    if let Ok(mut k) = KEPT_VIEWERS.lock() {
        match read {
            Some(read) => k.put(&hash, Arc::new(read)),
            None => k.remove(&hash),
        }
    }
    Ok(viewer)
}

/// [`viewer_for_session`] from the database, to be kept under `version` (read
/// before): the session, its person and their grants (None when there is no such
/// session, or its account is disabled); an expired session is removed, and one
/// last seen over a minute ago touched.
async fn read_session(
    store: &Store,
    hash: String,
    version: i64,
    settings: &SecuritySettings,
    now: DateTime<Utc>,
) -> StoreResult<Option<KeptViewer>> {
    // The session, its person and their grants in one round trip: the session's
    // columns repeat on each grant row (once, with no grant, for a person who has
    // none); no row at all when there is no such session.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT s.person_id, s.created_at, s.last_seen_at, p.full_name, p.email, a.secretariat,
                g.part, g.a, g.b, g.t, g.u
         FROM sessions s
         JOIN people p ON p.id = s.person_id
         JOIN accounts a ON a.person_id = s.person_id
         LEFT JOIN ({}) g ON 1 = 1
         WHERE s.id_hash = $1 AND a.disabled_at IS NULL",
            grants_sql("(SELECT person_id FROM sessions WHERE id_hash = $1)", 2)
        )
    });
    type Row = (
        i64,
        DateTime<Utc>,
        DateTime<Utc>,
        String,
        String,
        bool,
        Option<i32>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = on_pool!(store, pool => {
        sqlx::query_as(SQL.as_str())
            .bind(&hash)
            .bind(now.date_naive())
            .fetch_all(pool)
            .await?
    });
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let (person_id, created_at, mut last_seen_at) = (first.0, first.1, first.2);
    if now - last_seen_at > settings.session_idle || now - created_at > settings.session_max {
        // Housekeeping, not a change anyone made: no audit entry.
        on_pool!(store, pool => {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(&hash)
                .execute(pool)
                .await?;
        });
        return Ok(None);
    }
    if now - last_seen_at > TOUCH_EVERY {
        on_pool!(store, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(pool)
                .await?;
        });
        last_seen_at = now;
    }
    let (name, email, secretariat) = (first.3.clone(), first.4.clone(), first.5);
    let grants = fold_grants(
        person_id,
        rows.into_iter()
            .filter_map(|r| Some((r.6?, r.7?, r.8, r.9, r.10))),
    )?;
    Ok(Some(KeptViewer {
        version,
        day: now.date_naive(),
        created_at,
        last_seen_at,
        viewer: Viewer {
            person_id,
            name,
            email,
            secretariat,
            memberships: grants.memberships,
            event_roles: grants.event_roles,
            workshop_chairs: grants.workshop_chairs,
            invited_to: grants.invited_to,
            identity: Identity::Session { hash },
        },
    }))
}

/// What a person may do beyond what anyone may: what the policy reads of them.
pub struct Grants {
    pub memberships: Vec<MembershipGrant>,
    pub event_roles: Vec<(crate::ids::EventId, crate::domain::EventRole)>,
    /// Events (not drafts) they hold an invitation to that is not revoked.
    pub invited_to: Vec<crate::ids::EventId>,
    /// (event, agenda item) of the workshops they chair.
    pub workshop_chairs: Vec<(crate::ids::EventId, i64)>,
}

/// The grants of the person `person` (an SQL expression) on the day `$day_param`:
/// one row per grant, told apart by `part`; the other columns (`a`, `b`, `t`,
/// `u`) are what that kind of grant has.
fn grants_sql(person: &str, day_param: usize) -> String {
    format!(
        "SELECT 1 AS part, m.network_id AS a, CAST(NULL AS BIGINT) AS b, m.category AS t,
                m.member_state AS u
           FROM memberships m WHERE m.person_id = {person} AND {}
         UNION ALL
         SELECT 2, r.event_id, NULL, r.role, NULL FROM event_roles r WHERE r.person_id = {person}
         UNION ALL
         SELECT 3, i.event_id, NULL, NULL, NULL FROM invitations i JOIN events e ON e.id = i.event_id
          WHERE i.person_id = {person} AND i.status <> 'revoked' AND e.status <> 'draft'
         UNION ALL
         SELECT 4, i.event_id, c.item_id, NULL, NULL FROM agenda_item_chairs c
           JOIN agenda_items i ON i.id = c.item_id WHERE c.person_id = {person}",
        crate::domain::active_membership_sql(day_param)
    )
}

/// A person's [`Grants`] on `now`'s day, in one round trip (the personal feed's
/// reader; a session reads them with itself, [`viewer_for_session`]).
pub async fn grants(store: &Store, person_id: i64, now: DateTime<Utc>) -> StoreResult<Grants> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| grants_sql("$1", 2));
    type Row = (i32, i64, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<Row> = on_pool!(store, pool => {
        sqlx::query_as(SQL.as_str())
            .bind(person_id)
            .bind(now.date_naive())
            .fetch_all(pool)
            .await?
    });
    fold_grants(person_id, rows)
}

/// The rows of [`grants_sql`] as [`Grants`].
fn fold_grants(
    person_id: i64,
    rows: impl IntoIterator<Item = (i32, i64, Option<i64>, Option<String>, Option<String>)>,
) -> StoreResult<Grants> {
    let mut g = Grants {
        memberships: Vec::new(),
        event_roles: Vec::new(),
        invited_to: Vec::new(),
        workshop_chairs: Vec::new(),
    };
    let bad =
        |what: &str| StoreError::Other(anyhow::anyhow!("person {person_id} has an invalid {what}"));
    for (part, a, b, t, u) in rows {
        let event = crate::ids::EventId(a);
        match part {
            1 => g.memberships.push(MembershipGrant {
                network_id: crate::ids::NetworkId(a),
                category: MembershipCategory::parse(t.as_deref().unwrap_or_default())
                    .map_err(|_| bad("membership category"))?,
                member_state: u,
            }),
            2 => g.event_roles.push((
                event,
                crate::domain::EventRole::parse(t.as_deref().unwrap_or_default())
                    .map_err(|_| bad("event role"))?,
            )),
            3 => g.invited_to.push(event),
            _ => g.workshop_chairs.push((event, b.unwrap_or_default())),
        }
    }
    Ok(g)
}

/// Ends one session (sign-out), in the caller's transaction.
pub async fn end_session(tx: &mut super::db::Tx<'_>, hash: &str) -> StoreResult<()> {
    crate::on_tx!(tx, pool => {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(hash)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Ends every session of a person except `keep` (a session hash), in the caller's
/// transaction; returns how many.
pub async fn end_sessions_of(
    tx: &mut super::db::Tx<'_>,
    person_id: i64,
    keep: Option<&str>,
) -> StoreResult<u64> {
    Ok(crate::on_tx!(tx, pool => {
        sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND ($2 IS NULL OR id_hash <> $2)")
            .bind(person_id)
            .bind(keep)
            .execute(pool)
            .await?
            .rows_affected()
    }))
}

/// Purpose of a one-time token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    SignIn,
    Password,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::SignIn => "sign_in",
            TokenPurpose::Password => "password",
        }
    }
}

/// Issues a one-time token inside the caller's transaction (so the mail that carries
/// it is queued atomically with it); returns the secret for the link.
pub async fn issue_token(
    tx: &mut super::db::Tx<'_>,
    person_id: i64,
    purpose: TokenPurpose,
    valid_for: Duration,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let (secret, hash) = new_secret();
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO auth_tokens (token_hash, person_id, purpose, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&hash)
        .bind(person_id)
        .bind(purpose.as_str())
        .bind(now + valid_for)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(secret)
}

/// Ends every unused sign-in and password link of a person, and withdraws the
/// queued messages that carry them: after a password or address change, or when
/// the account is disabled or enabled, an older link must not work.
pub async fn revoke_tokens(tx: &mut super::db::Tx<'_>, person_id: i64) -> StoreResult<u64> {
    let n = crate::on_tx!(tx, conn => {
        sqlx::query("DELETE FROM auth_tokens WHERE person_id = $1 AND used_at IS NULL")
            .bind(person_id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    super::mail::outbox::withdraw_links(tx, person_id).await?;
    Ok(n)
}

/// The person a still-valid, unused token belongs to, without using it up (for the
/// page that shows the confirmation button).
pub async fn peek_token(
    store: &Store,
    secret: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT t.person_id FROM auth_tokens t JOIN accounts a ON a.person_id = t.person_id
             WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL
               AND t.expires_at > $3 AND a.disabled_at IS NULL",
        )
        .bind(hash_secret(secret))
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(pool)
        .await?
    }))
}

/// Uses up a token inside the caller's transaction: exactly one caller gets the
/// person id, however many race.
pub async fn consume_token(
    tx: &mut super::db::Tx<'_>,
    secret: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(crate::on_tx!(tx, pool => {
        sqlx::query_scalar(
            "UPDATE auth_tokens SET used_at = $3
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
               AND person_id IN (SELECT person_id FROM accounts WHERE disabled_at IS NULL)
             RETURNING person_id",
        )
        .bind(hash_secret(secret))
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(pool)
        .await?
    }))
}

/// The request-scoped memo of the viewer, so the header and the page look the
/// session up once. Provided per request by the router.
#[derive(Clone, Default)]
pub struct ViewerMemo(pub Arc<tokio::sync::OnceCell<Option<Viewer>>>);

/// The viewer of the current request (None when anonymous), looked up once: the
/// signed-in person, or else the guest of a personal link.
pub async fn current_viewer() -> Result<Option<Viewer>, crate::AppError> {
    let lookup = || async {
        let state = super::AppState::current()?;
        viewer_from_cookies(&state, super::request::current_cookie).await
    };
    match leptos::prelude::use_context::<ViewerMemo>() {
        Some(memo) => memo.0.get_or_try_init(lookup).await.cloned(),
        None => lookup().await,
    }
}

/// The viewer a request's cookies prove (`cookie` reads one by name): the
/// signed-in person, or else the guest of a personal link; for plain routes,
/// which have no Leptos context.
pub async fn viewer_from_cookies(
    state: &super::AppState,
    cookie: impl Fn(&str) -> Option<String>,
) -> Result<Option<Viewer>, crate::AppError> {
    let now = state.clock.now();
    if let Some(secret) = cookie(state.security.session_cookie_name()) {
        if let Some(v) = viewer_for_session(&state.store, &secret, &state.security, now).await? {
            return Ok(Some(v));
        }
    }
    let Some(secret) = cookie(super::guests::cookie_name(&state.security)) else {
        return Ok(None);
    };
    super::guests::viewer_for_link(&state.store, &secret, now)
        .await
        .map_err(crate::AppError::from)
}

/// The `Set-Cookie` value that stores a session.
pub fn session_cookie(secret: &str, settings: &SecuritySettings) -> String {
    format!(
        "{}={secret}; Path=/; HttpOnly; SameSite=Lax{}",
        settings.session_cookie_name(),
        if settings.https() { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(settings: &SecuritySettings) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        settings.session_cookie_name(),
        if settings.https() { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_stored_hashed() {
        let (a, ha) = new_secret();
        let (b, _) = new_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes in unpadded base64url");
        assert_eq!(ha, hash_secret(&a));
        assert_eq!(ha.len(), 64);
        assert!(!ha.contains(&a));
    }

    #[test]
    fn a_kept_viewer_answers_only_under_its_version_on_its_day_and_for_a_minute_after_last_seen() {
        use chrono::TimeZone;
        let seen = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
        let kept = KeptViewer {
            version: 7,
            day: seen.date_naive(),
            created_at: seen - Duration::hours(2),
            last_seen_at: seen,
            viewer: Viewer {
                person_id: 1,
                name: "Katharina Becker".into(),
                email: "katharina.becker@ejocn.demo.example".into(),
                secretariat: false,
                memberships: Vec::new(),
                event_roles: Vec::new(),
                workshop_chairs: Vec::new(),
                invited_to: Vec::new(),
                identity: Identity::Session { hash: "h".into() },
            },
        };
        let settings = SecuritySettings::default();
        let at = |minutes: i64| seen + Duration::minutes(minutes);
        assert!(kept.answers(7, at(0), &settings));
        assert!(
            kept.answers(7, at(1), &settings),
            "a minute after it was last seen"
        );
        assert!(
            !kept.answers(7, at(1) + Duration::seconds(1), &settings),
            "then read again (and the session touched)"
        );
        assert!(
            !kept.answers(8, at(0), &settings),
            "nor once anything changed"
        );
        let short = SecuritySettings {
            session_idle: Duration::seconds(30),
            ..SecuritySettings::default()
        };
        assert!(
            !kept.answers(7, at(0) + Duration::seconds(31), &short),
            "idle"
        );
        let ending = SecuritySettings {
            session_max: Duration::hours(2),
            ..SecuritySettings::default()
        };
        assert!(kept.answers(7, at(0), &ending));
        assert!(
            !kept.answers(7, at(0) + Duration::seconds(1), &ending),
            "past its maximum life"
        );
        let late = KeptViewer {
            day: seen.date_naive().pred_opt().unwrap(),
            ..kept
        };
        assert!(
            !late.answers(7, at(0), &settings),
            "read yesterday: memberships may have begun or ended since"
        );
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", Some(&h)));
        assert!(!verify_password("correct horse battery stapl", Some(&h)));
        assert!(!verify_password("correct horse battery staple", None));
    }
}
