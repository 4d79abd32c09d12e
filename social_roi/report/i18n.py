"""Words and number/date formats of the report in English and French (``--lang`` or SOCIAL_ROI_REPORT_LANG).

French follows the usual typography: a narrow no-break space between thousands, a decimal comma, a no-break
space before % and the currency, dates as "28 nov. 2026"."""

from __future__ import annotations

import math
from datetime import date

LANGS = ("en", "fr")
NNBSP, NBSP = "\u202f", "\u00a0"

_MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Social-media ROI", "fr": "ROI des réseaux sociaux"},
    "period": {
        "en": "Published period {start} – {end} ({days} days), compared with {pstart} – {pend}.",
        "fr": "Période publiée du {start} au {end} ({days} jours), comparée au {pstart} – {pend}.",
    },
    "published": {
        "en": "Marts published by run {run} for {day}; headline model: {model}.",
        "fr": "Marts publiés par l’exécution {run} pour le {day} ; modèle de référence : {model}.",
    },
    "links": {"en": "Documentation of every mart and column", "fr": "Documentation de chaque mart et colonne"},
    "links_missing": {"en": "dbt docs site not built for this report", "fr": "site dbt docs non généré"},
    "h_headline": {"en": "Headline figures", "fr": "Chiffres clés"},
    "h_trend": {"en": "Weekly trend per channel", "fr": "Tendance hebdomadaire par canal"},
    "h_models": {"en": "Channels × attribution models", "fr": "Canaux × modèles d’attribution"},
    "h_top": {"en": "Top posts and campaigns", "fr": "Meilleures publications et campagnes"},
    "h_reps": {"en": "Social selling per sales rep", "fr": "Social selling par commercial"},
    "h_overclaim": {
        "en": "Platform-claimed vs order-backed conversions",
        "fr": "Conversions revendiquées par les plateformes vs adossées aux commandes",
    },
    "h_quality": {"en": "Data quality and coverage", "fr": "Qualité et couverture des données"},
    "h_maturity": {"en": "Measurement maturity", "fr": "Maturité de la mesure"},
    "h_definitions": {"en": "Definitions", "fr": "Définitions"},
    "revenue_total": {"en": "Revenue", "fr": "Chiffre d’affaires"},
    "revenue_social": {"en": "Attributed social revenue", "fr": "CA attribué aux réseaux sociaux"},
    "spend": {"en": "Ad spend", "fr": "Dépenses publicitaires"},
    "cost": {"en": "Cost (spend + organic)", "fr": "Coût (pub + organique)"},
    "roas": {"en": "ROAS", "fr": "ROAS"},
    "roi": {"en": "ROI", "fr": "ROI"},
    "vs_previous": {"en": "vs previous period", "fr": "vs période précédente"},
    "no_previous": {"en": "no data in the previous period", "fr": "pas de données sur la période précédente"},
    "revenue": {"en": "Attributed revenue", "fr": "CA attribué"},
    "week": {"en": "Week", "fr": "Semaine"},
    "channel": {"en": "Channel", "fr": "Canal"},
    "platform": {"en": "Platform", "fr": "Plateforme"},
    "model": {"en": "Model", "fr": "Modèle"},
    "interval": {"en": "95% interval", "fr": "intervalle à 95 %"},
    "trend_note": {
        "en": "All published weeks, headline model; ROI = (attributed gross margin − cost) / cost.",
        "fr": "Toutes les semaines publiées, modèle de référence ; ROI = (marge brute attribuée − coût) / coût.",
    },
    "models_note": {
        "en": "Attributed revenue per channel and model over all published days (fixed channel order). Lines: 95% "
        "bootstrap intervals of the data-driven models at the {lookback}-day lookback (fct_channel_uncertainty).",
        "fr": "CA attribué par canal et par modèle sur tous les jours publiés (ordre des canaux fixe). Traits : "
        "intervalles bootstrap à 95 % des modèles data-driven, fenêtre de {lookback} jours "
        "(fct_channel_uncertainty).",
    },
    "trusted": {"en": "Trusted model: {model}. Why: {why}", "fr": "Modèle de confiance : {model}. Pourquoi : {why}"},
    "trusted_missing": {
        "en": "No model evaluation on file ({file} is absent): no model is marked as trusted. Run "
        "`social-roi evaluate` on a simulated world to compare the models with the truth.",
        "fr": "Aucune évaluation des modèles disponible ({file} absent) : aucun modèle n’est marqué comme fiable. "
        "Lancez `social-roi evaluate` sur un monde simulé pour comparer les modèles à la vérité.",
    },
    "top_posts": {
        "en": "Top posts by attributed revenue (lifetime, headline model of the marts)",
        "fr": "Meilleures publications par CA attribué (sur leur durée de vie)",
    },
    "top_campaigns": {"en": "Top campaigns in the period", "fr": "Meilleures campagnes de la période"},
    "post": {"en": "Post", "fr": "Publication"},
    "published_at": {"en": "Published", "fr": "Publiée le"},
    "impressions": {"en": "Impressions", "fr": "Impressions"},
    "engagements": {"en": "Engagements", "fr": "Engagements"},
    "content_cost": {"en": "Content cost", "fr": "Coût du contenu"},
    "campaign": {"en": "Campaign", "fr": "Campagne"},
    "conversions": {"en": "Conversions", "fr": "Conversions"},
    "rep": {"en": "Sales rep", "fr": "Commercial"},
    "posts": {"en": "Posts", "fr": "Publications"},
    "touches": {"en": "Touches", "fr": "Points de contact"},
    "deals_won": {"en": "Deals won", "fr": "Affaires gagnées"},
    "deals_amount": {"en": "Won amount", "fr": "Montant gagné"},
    "reps_note": {
        "en": "Months {start} – {end}; revenue credited to the rep's touches (primary model).",
        "fr": "Mois {start} – {end} ; CA attribué aux points de contact du commercial (modèle principal).",
    },
    "claimed": {"en": "Claimed by the platform", "fr": "Revendiquées par la plateforme"},
    "backed": {"en": "Backed by orders", "fr": "Adossées aux commandes"},
    "over_claim": {"en": "Over-claim ratio", "fr": "Ratio de sur-déclaration"},
    "overclaim_note": {
        "en": "Over-claim ratio = platform-claimed conversions / order-backed conversions credited to the campaign's "
        "clicks; 1 means the platform agrees with the orders.",
        "fr": "Ratio = conversions revendiquées / conversions adossées aux commandes et créditées aux clics de la "
        "campagne ; 1 signifie que la plateforme est d’accord avec les commandes.",
    },
    "gate": {"en": "Mart gate of the published run", "fr": "Contrôle qualité des marts de l’exécution publiée"},
    "gate_status": {
        "en": "{status}: {n} expectations, {failed} blocking failure(s), {warnings} warning(s).",
        "fr": "{status} : {n} attentes, {failed} échec(s) bloquant(s), {warnings} avertissement(s).",
    },
    "passed": {"en": "Passed", "fr": "Réussi"},
    "failed": {"en": "Failed", "fr": "Échoué"},
    "expectations": {"en": "Every expectation, observed vs expected", "fr": "Chaque attente, observé vs attendu"},
    "suite": {"en": "Suite", "fr": "Suite"},
    "severity": {"en": "Severity", "fr": "Gravité"},
    "expectation": {"en": "Expectation", "fr": "Attente"},
    "column": {"en": "Column", "fr": "Colonne"},
    "result": {"en": "Result", "fr": "Résultat"},
    "observed": {"en": "Observed", "fr": "Observé"},
    "expected": {"en": "Expected", "fr": "Attendu"},
    "ok": {"en": "pass", "fr": "réussi"},
    "ko": {"en": "FAIL", "fr": "ÉCHEC"},
    "quarantine": {"en": "Quarantined files and rejected rows", "fr": "Fichiers en quarantaine et lignes rejetées"},
    "quarantine_none": {
        "en": "No file quarantined and no row rejected.",
        "fr": "Aucun fichier en quarantaine, aucune ligne rejetée.",
    },
    "file": {"en": "File", "fr": "Fichier"},
    "row": {"en": "Row", "fr": "Ligne"},
    "reason": {"en": "Reason", "fr": "Motif"},
    "sources": {"en": "Sources in the period", "fr": "Sources de la période"},
    "source": {"en": "Export format", "fr": "Format d’export"},
    "files": {"en": "Files loaded", "fr": "Fichiers chargés"},
    "last_export": {"en": "Latest export", "fr": "Dernier export"},
    "present": {"en": "present", "fr": "présente"},
    "missing": {"en": "missing", "fr": "absente"},
    "work_db_missing": {
        "en": "The work database is not readable: file and source coverage unavailable.",
        "fr": "Base de travail illisible : couverture des fichiers et sources indisponible.",
    },
    "indicator": {"en": "Indicator", "fr": "Indicateur"},
    "value": {"en": "Value", "fr": "Valeur"},
    "stage": {"en": "Stage", "fr": "Stade"},
    "thresholds": {"en": "Moderate from / confirmed from", "fr": "Modéré dès / confirmé dès"},
    "beginner": {"en": "beginner", "fr": "débutant"},
    "moderate": {"en": "moderate", "fr": "modéré"},
    "confirmed": {"en": "confirmed", "fr": "confirmé"},
    "overall_stage": {
        "en": "Overall stage: {stage} (the lowest stage of the four indicators).",
        "fr": "Stade global : {stage} (le plus bas des quatre indicateurs).",
    },
    "m_identity": {"en": "Revenue with an identity key", "fr": "CA avec une clé d’identité"},
    "m_identity_d": {
        "en": "share of revenue whose customer is known by hashed email, login or CRM deal",
        "fr": "part du CA dont le client est connu par e-mail haché, identifiant ou affaire CRM",
    },
    "m_utm": {"en": "UTM hygiene", "fr": "Hygiène des UTM"},
    "m_utm_d": {
        "en": "share of paid touches whose campaign is found in the ads exports",
        "fr": "part des contacts payants dont la campagne figure dans les exports publicitaires",
    },
    "m_reps": {"en": "Reps active", "fr": "Commerciaux actifs"},
    "m_reps_d": {
        "en": "share of known sales reps who posted in the period's months",
        "fr": "part des commerciaux connus ayant publié pendant les mois de la période",
    },
    "m_crm": {"en": "CRM enrichment coverage", "fr": "Couverture de l’enrichissement CRM"},
    "m_crm_d": {
        "en": "share of CRM-matchable customers with at least one social touch",
        "fr": "part des clients rapprochables du CRM ayant au moins un contact social",
    },
    "definitions": {
        "en": "ROAS = attributed revenue / ad spend. ROI = (attributed gross margin − cost) / cost, cost = ad spend + "
        "organic cost (content, agency fees, sales-rep time). Headline ROAS and ROI count social revenue only "
        "(platform “(none)” excluded). Every figure comes from the metric definitions of the dbt semantic "
        "layer (dbt_project/models/semantic).",
        "fr": "ROAS = CA attribué / dépenses publicitaires. ROI = (marge brute attribuée − coût) / coût, coût = "
        "dépenses publicitaires + coût organique (contenu, agence, temps des commerciaux). Le ROAS et le ROI "
        "des chiffres clés ne comptent que le CA social (plateforme « (none) » exclue). Chaque chiffre vient "
        "des définitions de métriques de la couche sémantique dbt (dbt_project/models/semantic).",
    },
    "none": {"en": "none", "fr": "aucun"},
}


class Lang:
    """Text and formats of one language."""

    def __init__(self, code: str):
        if code not in LANGS:
            raise ValueError(
                f"report language {code!r}: expected one of {', '.join(LANGS)} (--lang or SOCIAL_ROI_REPORT_LANG)"
            )
        self.code = code

    def t(self, key: str, **values) -> str:
        text = TEXT[key][self.code]
        return text.format(**values) if values else text

    def number(self, value, digits: int = 0) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = f"{float(value):,.{digits}f}"
        if self.code == "fr":
            text = text.replace(",", NNBSP).replace(".", ",")
        return text.replace("-", "−")

    def money(self, value, currency: str, digits: int = 0) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if self.code == "fr":
            return f"{self.number(value, digits)}{NBSP}{currency}"
        return f"{currency}{NBSP}{self.number(value, digits)}"

    def percent(self, value, digits: int = 0, signed: bool = False) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = self.number(abs(value) * 100, digits)
        sign = ("+" if value > 0 else "−" if value < 0 else "±") if signed else ("−" if value < 0 else "")
        return f"{sign}{text}{NBSP if self.code == 'fr' else ''}%"

    def ratio(self, value, digits: int = 2) -> str:
        return self.number(value, digits)

    def day(self, value: date) -> str:
        if self.code == "fr":
            return f"{value.day} {_MONTHS_FR[value.month - 1]} {value.year}"
        return value.strftime("%d %b %Y")

    @property
    def d3_locale(self) -> str:
        """The locale name Vega's number and time formats use."""
        return "fr-FR" if self.code == "fr" else "en-US"
