"""The demo's bilingual corpus: places, themes, platforms, titles, names, referrals, outcomes.

It is data, not logic, and it is long (over 500 lines) because a believable demo needs many
distinct texts; splitting it would only scatter one table of content over several files.
Every text is a pair ``(French, English)``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

T = tuple[str, str]  # the same text in French and in English


# --------------------------------------------------------------------------------------------
# Places: (code, level, name, parent code). Codes are stable, so a second run (or another
# device running the demo) reuses the same records.
# --------------------------------------------------------------------------------------------

def _niamey() -> list[tuple[str, str, str, str]]:
    communes = {
        "NY1": ("Niamey I", ("Yantala", "Goudel", "Koira Kano", "Plateau")),
        "NY2": ("Niamey II", ("Lazaret", "Boukoki", "Banifandou", "Dar Es Salam", "Koira Tégui")),
        "NY3": ("Niamey III", ("Kalley", "Poudrière", "Madina")),
        "NY4": ("Niamey IV", ("Talladjé", "Gamkallé", "Wadata", "Nogaré", "Aéroport")),
        "NY5": ("Niamey V", ("Harobanda", "Gaweye", "Karadjé", "Kirkissoye", "Lamordé", "Saga")),
    }
    out: list[tuple[str, str, str, str]] = []
    for code, (name, quartiers) in communes.items():
        commune = f"NE-8-{code}"
        out.append((commune, "commune", name, "NE-8"))
        out.extend((f"{commune}-{_slug(q)}", "quartier", q, commune) for q in quartiers)
    return out


# region code → {department: communes}
_DEPARTMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "NE-2": {  # Diffa, Lake Chad basin
        "Diffa": ("Diffa", "Chétimari", "Gueskérou"),
        "Bosso": ("Bosso", "Toumour"),
        "Mainé-Soroa": ("Mainé-Soroa", "Foulatari"),
        "N'Guigmi": ("N'Guigmi", "Kablewa"),
        "Goudoumaria": ("Goudoumaria",),
    },
    "NE-6": {  # Tillabéri, borders Mali and Burkina Faso
        "Tillabéri": ("Tillabéri", "Anzourou"),
        "Téra": ("Téra", "Gorouol"),
        "Ouallam": ("Ouallam", "Tondikiwindi"),
        "Ayorou": ("Ayorou",),
        "Filingué": ("Filingué",),
        "Torodi": ("Torodi", "Makalondi"),
        "Abala": ("Abala",),
    },
    "NE-1": {"Tchirozérine": ("Agadez",), "Arlit": ("Arlit",), "Bilma": ("Bilma",)},
    "NE-7": {"Mirriah": ("Zinder",), "Magaria": ("Magaria",), "Gouré": ("Gouré",)},
    "NE-4": {"Madarounfa": ("Maradi",), "Tessaoua": ("Tessaoua",)},
    "NE-5": {"Tahoua": ("Tahoua",), "Birni N'Konni": ("Birni N'Konni",)},
    "NE-3": {"Dosso": ("Dosso",), "Gaya": ("Gaya",), "Dogondoutchi": ("Dogondoutchi",)},
}


def _slug(name: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in name.upper())
    return "-".join(part for part in keep.split("-") if part).translate(
        str.maketrans("ÉÈÊËÀÂÎÏÔÛÜÇ", "EEEEAAIIOUUC"))


def _regions() -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []
    for region, departments in _DEPARTMENTS.items():
        for department, communes in departments.items():
            dep = f"{region}-{_slug(department)}"
            out.append((dep, "department", department, region))
            out.extend((f"{dep}-{_slug(c)}", "commune", c, dep) for c in communes)
    return out


DEMO_PLACES: tuple[tuple[str, str, str, str], ...] = (*_niamey(), *_regions())
PLACE_CODE = {name: code for code, _level, name, _parent in DEMO_PLACES}
PLACE_CODE.update({"Niamey": "NE-8"})


# --------------------------------------------------------------------------------------------
# Themes: what people raise, what is agreed, what complaints look like.
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Act:
    text: T
    party: str  # RESPONSIBLE_PARTY code
    owner: T
    progress: T
    done: T


@dataclass(frozen=True)
class Theme:
    label: T
    category: str  # COMPLAINT_CATEGORY code of the complaints it brings
    raised_by: tuple[str, ...]
    descriptions: tuple[T, ...]
    acts: tuple[Act, ...]
    grievances: tuple[tuple[T, T], ...]  # (complaint description, against whom)


THEMES: dict[str, Theme] = {
    "motorbike_theft": Theme(
        ("Vols de motos", "Motorbike theft"), "theft", ("youth", "women", "traditional_chief", "other"),
        (("Plusieurs motos ont été volées la nuit devant les concessions de {place} ; les propriétaires "
          "n'osent plus les laisser dehors.",
          "Several motorbikes were stolen at night in front of family compounds in {place}; owners no "
          "longer dare to leave them outside."),
         ("Des motos sont volées devant la mosquée pendant la prière du vendredi.",
          "Motorbikes are stolen outside the mosque during Friday prayers."),
         ("Les victimes disent que les motos volées sont revendues en pièces détachées au marché.",
          "Victims say that stolen motorbikes are sold as spare parts at the market.")),
        (Act(("Organiser des patrouilles de police de nuit autour du marché de {place}",
              "Run night police patrols around the {place} market"), "police",
             ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("Deux patrouilles par semaine ont commencé, surtout après 22 h.",
              "Two patrols a week have started, mostly after 10 pm."),
             ("Les patrouilles sont régulières ; aucun vol de moto signalé ce mois-ci.",
              "Patrols are regular; no motorbike theft reported this month.")),
         Act(("Recenser les motos du quartier avec leur numéro de châssis",
              "Register the neighbourhood's motorbikes with their frame numbers"), "community",
             ("Comité de vigilance de {place}", "{place} neighbourhood watch committee"),
             ("Le recensement a commencé dans deux secteurs sur cinq.",
              "The register has started in two sectors out of five."),
             ("Le registre est remis au commissariat : 312 motos enregistrées.",
              "The register was handed to the police station: 312 motorbikes recorded."))),
        ((("Vol de la moto du plaignant devant son domicile, la nuit, à {place}.",
           "The complainant's motorbike was stolen outside his home at night in {place}."),
          ("Inconnus", "Unknown persons")),
         (("Moto volée au parking du marché ; le gardien dit n'avoir rien vu.",
           "Motorbike stolen from the market car park; the guard says he saw nothing."),
          ("Inconnus", "Unknown persons")))),
    "burglary": Theme(
        ("Cambriolages et vols dans les maisons", "Burglaries"), "theft",
        ("women", "traditional_chief", "civil_society", "other"),
        (("Des cambriolages ont lieu pendant les cérémonies, quand les familles sont absentes.",
          "Houses are burgled during ceremonies, when families are away."),
         ("Des commerçants de {place} se plaignent de vols répétés dans leurs boutiques.",
          "Shopkeepers in {place} complain of repeated thefts from their shops.")),
        (Act(("Installer un poste de police mobile les soirs de marché à {place}",
              "Set up a mobile police post on market evenings in {place}"), "police",
             ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("Le poste mobile est présent deux soirs sur trois.",
              "The mobile post is there two evenings out of three."),
             ("Le poste mobile fonctionne chaque soir de marché.",
              "The mobile post is in place every market evening.")),
         Act(("Organiser des rondes de jeunes volontaires avec le chef de quartier",
              "Organise rounds of young volunteers with the neighbourhood chief"), "traditional_chief",
             ("Chef de quartier de {place}", "Neighbourhood chief of {place}"),
             ("Une liste de 20 volontaires a été établie.", "A list of 20 volunteers has been drawn up."),
             ("Les rondes ont lieu chaque nuit ; les vols ont nettement baissé.",
              "Rounds take place every night; thefts have clearly dropped."))),
        ((("Cambriolage de la boutique du plaignant ; marchandises emportées pendant la nuit.",
           "The complainant's shop was burgled; goods were taken during the night."),
          ("Inconnus", "Unknown persons")),
         (("Vol d'un téléviseur et de bijoux pendant un baptême.",
           "A television and jewellery were stolen during a naming ceremony."),
          ("Un voisin soupçonné", "A suspected neighbour")))),
    "drugs": Theme(
        ("Drogue chez les jeunes (tramadol, chanvre)", "Drug use among young people (tramadol, cannabis)"),
        "drugs", ("women", "religious_leader", "traditional_chief", "youth"),
        (("Des comprimés de tramadol sont vendus près de l'école de {place}.",
          "Tramadol pills are sold near the school in {place}."),
         ("Les mères disent que leurs fils consomment du chanvre dans les fadas le soir.",
          "Mothers say their sons smoke cannabis in the evening meeting spots (fadas)."),
         ("Des jeunes sous l'effet de la drogue agressent les passants.",
          "Young people on drugs attack passers-by.")),
        (Act(("Signaler les points de vente de drogue à l'OCRTIS par le point focal",
              "Report drug selling points to the drug squad (OCRTIS) through the focal point"),
             "police", ("Point focal police de la plateforme", "Platform's police focal point"),
             ("Trois points de vente ont été signalés ; une enquête est en cours.",
              "Three selling points were reported; an investigation is under way."),
             ("Deux revendeurs ont été interpellés et présentés au parquet.",
              "Two dealers were arrested and brought before the prosecutor.")),
         Act(("Tenir une causerie sur la drogue avec les associations de jeunes",
              "Hold an awareness talk on drugs with the youth associations"), "civil_society",
             ("Association des jeunes de {place}", "{place} youth association"),
             ("La causerie est prévue ; les imams ont accepté d'y participer.",
              "The talk is planned; the imams have agreed to take part."),
             ("La causerie a réuni 85 jeunes et des parents.",
              "The talk brought together 85 young people and parents."))),
        ((("Vente de comprimés de tramadol à des mineurs dans une boutique de {place}.",
           "Tramadol pills sold to minors in a shop in {place}."),
          ("Un boutiquier", "A shopkeeper")),
         (("Le fils de la plaignante est entraîné dans la consommation de drogue par un groupe de jeunes.",
           "The complainant's son is being drawn into drug use by a group of young men."),
          ("Un groupe de jeunes du quartier", "A group of local young men")))),
    "checkpoint_racket": Theme(
        ("Rackets aux postes de contrôle", "Extortion at checkpoints"), "police_conduct",
        ("youth", "civil_society", "other", "local_authority"),
        (("Les conducteurs de taxis-motos disent payer 500 à 1 000 FCFA à chaque passage au poste de "
          "contrôle.",
          "Motorbike-taxi drivers say they pay 500 to 1,000 CFA francs each time they pass the "
          "checkpoint."),
         ("Les commerçants qui vont au marché hebdomadaire se plaignent de contrôles abusifs sur la route.",
          "Traders going to the weekly market complain of abusive checks on the road.")),
        (Act(("Afficher au poste de contrôle la liste des pièces exigées et le numéro vert",
              "Post the list of required documents and the toll-free number at the checkpoint"),
             "police", ("Direction régionale de la police", "Regional police directorate"),
             ("Les affiches sont imprimées ; la pose est prévue la semaine prochaine.",
              "The posters are printed; they will go up next week."),
             ("Les affiches sont posées et le numéro vert reçoit des appels.",
              "The posters are up and the toll-free line is receiving calls.")),
         Act(("Faire une inspection inopinée des postes de contrôle de l'axe",
              "Carry out unannounced inspections of the checkpoints on the road"), "gendarmerie",
             ("Commandant de la compagnie de gendarmerie", "Gendarmerie company commander"),
             ("Une première inspection a eu lieu ; deux agents ont été rappelés à l'ordre.",
              "A first inspection took place; two officers were reprimanded."),
             ("Les inspections sont devenues mensuelles et les plaintes ont diminué.",
              "Inspections are now monthly and complaints have decreased."))),
        ((("Un agent a exigé 2 000 FCFA à un conducteur de taxi-moto au poste de contrôle de la sortie "
           "de {place}.",
           "An officer demanded 2,000 CFA francs from a motorbike-taxi driver at the checkpoint on the "
           "way out of {place}."),
          ("Agents du poste de contrôle", "Checkpoint officers")),
         (("Marchandises retenues au poste jusqu'au paiement d'une somme sans reçu.",
           "Goods held at the checkpoint until a sum was paid, without a receipt."),
          ("Éléments de la gendarmerie", "Gendarmerie personnel")))),
    "land": Theme(
        ("Litiges fonciers", "Land disputes"), "land",
        ("traditional_chief", "local_authority", "women", "other"),
        (("Des parcelles du lotissement de {place} ont été vendues deux fois ; les acheteurs se menacent.",
          "Plots in the {place} housing scheme were sold twice; the buyers threaten each other."),
         ("Des héritiers contestent le partage d'un champ et la tension monte entre les familles.",
          "Heirs contest the division of a field and tension is rising between the families.")),
        (Act(("Saisir la commission foncière (COFOCOM) des cas de double vente",
              "Refer double-sale cases to the land commission (COFOCOM)"), "local_authority",
             ("Mairie de {place}", "{place} town hall"),
             ("Quatre dossiers sont déposés à la commission foncière.",
              "Four files have been lodged with the land commission."),
             ("La commission a tranché deux dossiers et les bornes ont été reposées.",
              "The commission settled two files and the boundary markers were reset.")),
         Act(("Réunir les familles en conflit chez le chef de canton",
              "Bring the families in dispute together at the canton chief's"), "traditional_chief",
             ("Chef de canton", "Canton chief"),
             ("Une première rencontre a eu lieu, sans accord.",
              "A first meeting took place, without agreement."),
             ("Un accord de partage a été signé devant témoins.",
              "A sharing agreement was signed before witnesses."))),
        ((("Le plaignant a acheté une parcelle déjà vendue à une autre personne par le même vendeur.",
           "The complainant bought a plot that the same seller had already sold to someone else."),
          ("Un vendeur de parcelles", "A plot seller")),
         (("Occupation d'un champ familial par un voisin qui refuse de partir.",
           "A neighbour occupies a family field and refuses to leave."),
          ("Un voisin", "A neighbour")))),
    "sgbv": Theme(
        ("Violences basées sur le genre", "Gender-based violence"), "sgbv",
        ("women", "civil_society", "religious_leader"),
        (("Les femmes signalent des violences conjugales qui restent cachées par peur du qu'en-dira-t-on.",
          "Women report domestic violence that stays hidden for fear of gossip."),
         ("Des filles sont harcelées sur le chemin de l'école à {place}.",
          "Girls are harassed on their way to school in {place}."),
         ("Les victimes ne savent pas où porter plainte ni comment être prises en charge.",
          "Victims do not know where to file a complaint or how to get care.")),
        (Act(("Former les agents de l'accueil du commissariat à recevoir les victimes de violences",
              "Train the police station's front desk to receive victims of violence"), "police",
             ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("La formation est programmée avec l'appui d'une ONG.",
              "The training is scheduled with the support of an NGO."),
             ("Six agents ont été formés ; un espace d'accueil discret est aménagé.",
              "Six officers were trained; a discreet reception area has been set up.")),
         Act(("Faire connaître le circuit de prise en charge des victimes dans les mosquées et les "
              "fadas",
              "Make the care pathway for victims known in mosques and meeting spots"), "civil_society",
             ("Association des femmes de {place}", "{place} women's association"),
             ("Des dépliants en haoussa et en zarma sont en préparation.",
              "Leaflets in Hausa and Zarma are being prepared."),
             ("Le circuit a été présenté dans 12 mosquées et 20 fadas.",
              "The pathway was presented in 12 mosques and 20 meeting spots."))),
        ((("Violences conjugales répétées ; la plaignante a été blessée au bras.",
           "Repeated domestic violence; the complainant was injured in the arm."),
          ("Le mari de la plaignante", "The complainant's husband")),
         (("Harcèlement d'une élève par un homme du quartier sur le chemin de l'école.",
           "A schoolgirl is harassed by a man from the neighbourhood on her way to school."),
          ("Un homme du quartier", "A man from the neighbourhood")))),
    "youth_recruitment": Theme(
        ("Recrutement des jeunes par les groupes armés", "Recruitment of young people by armed groups"),
        "extremism", ("traditional_chief", "religious_leader", "women", "youth"),
        (("Des inconnus proposent de l'argent et des motos aux jeunes désœuvrés des villages autour de "
          "{place}.",
          "Strangers offer money and motorbikes to idle young men in the villages around {place}."),
         ("Des parents n'ont plus de nouvelles de fils partis « chercher du travail » de l'autre côté de "
          "la frontière.",
          "Parents have lost contact with sons who left \"to look for work\" across the border.")),
        (Act(("Mettre en place un numéro d'alerte entre les chefs de village et la gendarmerie",
              "Set up an alert number between village chiefs and the gendarmerie"), "gendarmerie",
             ("Commandant de brigade de {place}", "Gendarmerie brigade commander, {place}"),
             ("Le numéro est attribué ; les chefs de village sont en cours d'enregistrement.",
              "The number has been assigned; village chiefs are being registered."),
             ("Le numéro fonctionne ; trois alertes ont été traitées ce mois-ci.",
              "The number works; three alerts were handled this month.")),
         Act(("Lancer des activités pour les jeunes (formation professionnelle, sport) avec la mairie",
              "Start activities for young people (vocational training, sport) with the town hall"),
             "local_authority", ("Mairie de {place}", "{place} town hall"),
             ("Une liste de 40 jeunes est établie pour la formation en mécanique.",
              "A list of 40 young people has been drawn up for mechanics training."),
             ("La formation a démarré et un tournoi de football inter-quartiers a eu lieu.",
              "The training has started and an inter-neighbourhood football tournament was held."))),
        ((("Des hommes armés ont tenté d'enrôler des jeunes du village contre de l'argent.",
           "Armed men tried to enlist young men from the village for money."),
          ("Un groupe armé non identifié", "An unidentified armed group")),
         (("Le neveu du plaignant a disparu après avoir été approché par des recruteurs.",
           "The complainant's nephew disappeared after recruiters approached him."),
          ("Des recruteurs inconnus", "Unknown recruiters")))),
    "traffic": Theme(
        ("Insécurité routière et taxis-motos", "Road safety and motorbike taxis"), "traffic",
        ("youth", "local_authority", "other"),
        (("Les taxis-motos roulent sans casque ni phares ; les accidents se multiplient au carrefour "
          "de {place}.",
          "Motorbike taxis ride without helmets or lights; accidents keep happening at the {place} "
          "crossroads."),
         ("Des camions stationnent sur la voie la nuit sans signalisation.",
          "Lorries park on the road at night without any warning signs.")),
        (Act(("Placer des agents de la circulation au carrefour aux heures de pointe",
              "Post traffic officers at the crossroads at rush hour"), "police",
             ("Compagnie de circulation routière", "Traffic police company"),
             ("Un agent est présent le matin ; le soir reste à couvrir.",
              "An officer is present in the morning; evenings are not yet covered."),
             ("Deux agents sont en poste matin et soir.", "Two officers are posted morning and evening.")),
         Act(("Sensibiliser les conducteurs de taxis-motos au port du casque",
              "Raise helmet awareness among motorbike-taxi drivers"), "civil_society",
             ("Syndicat des conducteurs de taxis-motos", "Motorbike-taxi drivers' union"),
             ("Une première séance a réuni 60 conducteurs.", "A first session brought together 60 drivers."),
             ("Tous les conducteurs affiliés ont reçu un casque à prix réduit.",
              "All registered drivers received a helmet at a reduced price."))),
        ((("Accident causé par un camion sans phares ; le chauffeur a pris la fuite.",
           "An accident caused by a lorry without lights; the driver fled."),
          ("Un chauffeur de camion", "A lorry driver")),
         (("Le plaignant a été renversé par un taxi-moto qui a refusé de l'emmener à l'hôpital.",
           "The complainant was knocked down by a motorbike taxi that refused to take him to hospital."),
          ("Un conducteur de taxi-moto", "A motorbike-taxi driver")))),
    "lighting": Theme(
        ("Rues sans éclairage et agressions nocturnes", "Dark streets and night-time attacks"), "assault",
        ("women", "youth", "traditional_chief"),
        (("Les rues de {place} sont sans éclairage ; des passants sont agressés et dépouillés le soir.",
          "The streets of {place} are unlit; passers-by are attacked and robbed in the evening."),
         ("Les femmes qui reviennent du marché à la tombée de la nuit ont peur d'être agressées.",
          "Women coming back from the market at nightfall are afraid of being attacked.")),
        (Act(("Demander à la mairie de réparer les lampadaires de l'axe principal",
              "Ask the town hall to repair the street lights on the main road"), "local_authority",
             ("Mairie de {place}", "{place} town hall"),
             ("La mairie a recensé 35 lampadaires en panne.",
              "The town hall counted 35 broken street lights."),
             ("Les lampadaires de l'axe principal fonctionnent de nouveau.",
              "The street lights on the main road work again.")),
         Act(("Renforcer la présence policière aux points sombres signalés",
              "Increase police presence at the dark spots reported"), "police",
             ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("Les points sombres sont cartographiés avec les jeunes.",
              "The dark spots have been mapped with young people."),
             ("Des patrouilles passent chaque soir aux points sombres.",
              "Patrols pass the dark spots every evening."))),
        ((("Agression au couteau d'un commerçant qui rentrait du marché ; son téléphone a été emporté.",
           "A trader coming home from the market was attacked with a knife; his phone was taken."),
          ("Deux jeunes non identifiés", "Two unidentified young men")),
         (("La plaignante a été bousculée et dépouillée de son sac dans une rue sans éclairage.",
           "The complainant was pushed and robbed of her bag in an unlit street."),
          ("Inconnus", "Unknown persons")))),
    "trust": Theme(
        ("Méfiance entre la population et les forces de sécurité",
         "Mistrust between the population and the security forces"), "police_conduct",
        ("youth", "civil_society", "women", "traditional_chief"),
        (("Les jeunes disent être interpellés sans motif et parlés avec mépris.",
          "Young people say they are stopped for no reason and spoken to with contempt."),
         ("Les habitants n'appellent pas la police par peur d'être eux-mêmes accusés.",
          "Residents do not call the police for fear of being accused themselves."),
         ("Les agents disent manquer de moyens et d'informations de la part de la population.",
          "Officers say they lack resources and information from the population.")),
        (Act(("Organiser une journée portes ouvertes au commissariat",
              "Hold an open day at the police station"), "police",
             ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("La date est fixée avec le chef de quartier.",
              "The date has been set with the neighbourhood chief."),
             ("La journée portes ouvertes a accueilli plus de 200 habitants.",
              "The open day welcomed more than 200 residents.")),
         Act(("Désigner un point focal de la plateforme au commissariat",
              "Appoint a platform focal point at the police station"), "platform",
             ("Bureau de la plateforme", "Platform committee"),
             ("Deux candidats ont été proposés.", "Two candidates have been put forward."),
             ("Le point focal est désigné et reçoit les habitants le mardi.",
              "The focal point has been appointed and sees residents on Tuesdays."))),
        ((("Le fils du plaignant a été frappé lors d'une interpellation devant une fada.",
           "The complainant's son was beaten during an arrest in front of a meeting spot."),
          ("Des agents de police", "Police officers")),
         (("Le plaignant dit avoir été insulté et menacé par un agent lors d'un contrôle.",
           "The complainant says an officer insulted and threatened him during a check."),
          ("Un agent de police", "A police officer")))),
    "youth_gangs": Theme(
        ("Bandes de jeunes (« palais ») et bagarres", "Youth gangs (\"palais\") and fights"), "assault",
        ("women", "traditional_chief", "religious_leader", "youth"),
        (("Des bandes de jeunes s'affrontent à l'arme blanche entre quartiers.",
          "Youth gangs fight each other with knives between neighbourhoods."),
         ("Les « palais » rackettent les élèves à la sortie des classes.",
          "The \"palais\" gangs extort money from pupils after school.")),
        (Act(("Réunir les chefs de « palais » avec les chefs de quartier et les imams",
              "Bring the gang leaders together with neighbourhood chiefs and imams"), "traditional_chief",
             ("Chef de quartier de {place}", "Neighbourhood chief of {place}"),
             ("Deux « palais » ont accepté de venir à la rencontre.",
              "Two gangs have agreed to come to the meeting."),
             ("Un pacte de non-agression a été signé entre quatre « palais ».",
              "A non-aggression pact was signed by four gangs.")),
         Act(("Patrouiller aux sorties des écoles", "Patrol school exits"), "police",
             ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("Des agents passent aux sorties de deux écoles.", "Officers visit the exits of two schools."),
             ("Les sorties des cinq écoles sont couvertes.", "The exits of all five schools are covered."))),
        ((("Le fils de la plaignante a été blessé à coups de couteau par une bande rivale.",
           "The complainant's son was stabbed by a rival gang."),
          ("Une bande de jeunes", "A youth gang")),
         (("Élèves rackettés à la sortie de l'école ; argent et téléphones pris.",
           "Pupils robbed outside the school; money and phones taken."),
          ("Un « palais » du quartier", "A local gang")))),
    "banditry": Theme(
        ("Banditisme armé sur les routes", "Armed banditry on the roads"), "theft",
        ("traditional_chief", "other", "local_authority", "youth"),
        (("Des bandits armés à moto attaquent les véhicules sur l'axe menant à {place}.",
          "Armed bandits on motorbikes attack vehicles on the road to {place}."),
         ("Les commerçants n'osent plus aller aux marchés hebdomadaires sans escorte.",
          "Traders no longer dare go to the weekly markets without an escort.")),
        (Act(("Escorter les véhicules les jours de marché", "Escort vehicles on market days"),
             "garde_nationale", ("Garde nationale, poste de {place}", "National guard post, {place}"),
             ("Une escorte est assurée un jour de marché sur deux.",
              "An escort is provided on every other market day."),
             ("Les escortes sont régulières ; aucune attaque depuis un mois.",
              "Escorts are regular; no attack for a month.")),
         Act(("Transmettre sans délai les alertes des villages à la gendarmerie",
              "Pass village alerts to the gendarmerie without delay"), "traditional_chief",
             ("Chefs de village de la commune", "Village chiefs of the commune"),
             ("Les chefs de village ont reçu les numéros à appeler.",
              "Village chiefs have received the numbers to call."),
             ("Les alertes arrivent en moins d'une heure à la brigade.",
              "Alerts now reach the brigade in less than an hour."))),
        ((("Véhicule de transport attaqué par des hommes armés ; argent et téléphones des passagers pris.",
           "A passenger vehicle was attacked by armed men; the passengers' money and phones were taken."),
          ("Hommes armés non identifiés", "Unidentified armed men")),
         (("Le plaignant a été dépouillé de sa moto et de ses marchandises sur la route du marché.",
           "The complainant was robbed of his motorbike and goods on the road to the market."),
          ("Bandits armés", "Armed bandits")))),
    "cattle_theft": Theme(
        ("Vol de bétail", "Cattle theft"), "theft", ("traditional_chief", "other", "youth"),
        (("Des troupeaux sont enlevés la nuit et conduits vers la frontière.",
          "Herds are taken at night and driven towards the border."),
         ("Les éleveurs de {place} disent avoir perdu plus de cinquante têtes depuis le début de la saison.",
          "Herders in {place} say they have lost more than fifty head since the start of the season.")),
        (Act(("Marquer le bétail et tenir un registre des ventes au marché",
              "Brand livestock and keep a register of sales at the market"), "local_authority",
             ("Mairie de {place}", "{place} town hall"),
             ("Le registre est ouvert au marché à bétail.", "The register is open at the livestock market."),
             ("Chaque vente est enregistrée avec le nom du vendeur.",
              "Every sale is recorded with the seller's name.")),
         Act(("Patrouiller sur les couloirs de transhumance", "Patrol the transhumance corridors"),
             "gendarmerie", ("Commandant de brigade de {place}", "Gendarmerie brigade commander, {place}"),
             ("Une patrouille mixte est prévue avec les éleveurs.",
              "A joint patrol with herders is planned."),
             ("Deux troupeaux volés ont été retrouvés et rendus.",
              "Two stolen herds were found and returned."))),
        ((("Vol de douze bovins dans l'enclos du plaignant pendant la nuit.",
           "Twelve cattle were stolen from the complainant's pen during the night."),
          ("Voleurs de bétail", "Cattle thieves")),
         (("Chèvres et moutons volés au pâturage ; le berger a été menacé.",
           "Goats and sheep stolen from the pasture; the herder was threatened."),
          ("Inconnus armés", "Unknown armed men")))),
    "farmer_herder": Theme(
        ("Conflits entre agriculteurs et éleveurs", "Conflicts between farmers and herders"), "land",
        ("traditional_chief", "local_authority", "other"),
        (("Des animaux ont détruit des champs avant la récolte et les agriculteurs menacent de se venger.",
          "Animals destroyed fields before the harvest and farmers threaten revenge."),
         ("Les couloirs de passage du bétail sont occupés par des champs.",
          "The livestock corridors are taken up by fields.")),
        (Act(("Baliser les couloirs de passage avant la saison des pluies",
              "Mark out the livestock corridors before the rainy season"), "local_authority",
             ("Commission foncière de {place}", "{place} land commission"),
             ("Le tracé est discuté avec les chefs de village.",
              "The route is being discussed with the village chiefs."),
             ("Les couloirs sont balisés sur 14 km.", "The corridors are marked over 14 km.")),
         Act(("Réunir les éleveurs et les agriculteurs pour fixer les dédommagements",
              "Bring herders and farmers together to agree compensation"), "traditional_chief",
             ("Chef de canton", "Canton chief"),
             ("Les deux parties ont accepté de se rencontrer.", "Both sides have agreed to meet."),
             ("Un barème de dédommagement a été adopté.", "A compensation scale has been adopted."))),
        ((("Des animaux ont dévasté le champ de mil du plaignant ; l'éleveur refuse de dédommager.",
           "Animals destroyed the complainant's millet field; the herder refuses to pay compensation."),
          ("Un éleveur", "A herder")),
         (("Bagarre entre agriculteurs et éleveurs près d'un point d'eau ; deux blessés.",
           "A fight between farmers and herders near a water point; two people injured."),
          ("Des agriculteurs et des éleveurs", "Farmers and herders")))),
    "detention": Theme(
        ("Gardes à vue prolongées et arrestations arbitraires", "Prolonged custody and arbitrary arrests"),
        "police_conduct", ("civil_society", "women", "youth"),
        (("Des personnes restent en garde à vue au-delà du délai légal sans voir de magistrat.",
          "People stay in custody beyond the legal time limit without seeing a judge."),
         ("Lors des opérations de ratissage, des jeunes sont arrêtés en masse puis relâchés contre de "
          "l'argent.",
          "During sweep operations young men are arrested en masse, then released for money.")),
        (Act(("Tenir un registre de garde à vue consultable par le parquet",
              "Keep a custody register the prosecutor can inspect"), "police",
             ("Direction régionale de la police", "Regional police directorate"),
             ("Le modèle de registre est validé.", "The register template has been approved."),
             ("Les registres sont tenus et contrôlés chaque mois par le parquet.",
              "Registers are kept and checked every month by the prosecutor.")),
         Act(("Informer les familles de leurs droits lors d'une arrestation",
              "Inform families of their rights when someone is arrested"), "civil_society",
             ("Association de défense des droits humains", "Human rights association"),
             ("Une fiche simple est en cours de rédaction.", "A simple leaflet is being drafted."),
             ("La fiche est distribuée par les parajuristes.", "Paralegals are handing out the leaflet."))),
        ((("Le frère du plaignant est en garde à vue depuis six jours sans avoir vu de magistrat.",
           "The complainant's brother has been in custody for six days without seeing a judge."),
          ("Commissariat de police", "Police station")),
         (("Arrestation du plaignant lors d'un ratissage, libéré contre 10 000 FCFA.",
           "The complainant was arrested in a sweep and released for 10,000 CFA francs."),
          ("Éléments des forces de sécurité", "Security forces personnel")))),
    "migration": Theme(
        ("Trafic de migrants et exploitation", "Migrant smuggling and exploitation"), "other",
        ("civil_society", "local_authority", "other"),
        (("Des migrants sont abandonnés dans le désert par des passeurs après avoir payé.",
          "Migrants are abandoned in the desert by smugglers after paying."),
         ("Des jeunes de {place} sont recrutés pour conduire des véhicules de passeurs.",
          "Young people in {place} are recruited to drive smugglers' vehicles.")),
        (Act(("Orienter les migrants victimes vers le centre d'accueil",
              "Refer migrant victims to the reception centre"), "civil_society",
             ("Organisation d'aide aux migrants de {place}", "{place} migrant support organisation"),
             ("Un protocole d'orientation est en discussion.", "A referral protocol is under discussion."),
             ("Quarante migrants ont été orientés ce trimestre.",
              "Forty migrants were referred this quarter.")),
         Act(("Renforcer les contrôles sur les départs de nuit", "Step up checks on night departures"),
             "police", ("Commissaire de police de {place}", "Police station chief, {place}"),
             ("Des contrôles ponctuels ont commencé.", "Spot checks have started."),
             ("Les départs de nuit sont contrôlés à la sortie de la ville.",
              "Night departures are checked on the way out of town."))),
        ((("Un passeur a pris l'argent du plaignant sans assurer le voyage promis.",
           "A smuggler took the complainant's money without providing the promised journey."),
          ("Un passeur", "A smuggler")),
         (("Migrants retenus dans une maison jusqu'au paiement d'une rançon par leurs familles.",
           "Migrants held in a house until their families paid a ransom."),
          ("Un réseau de passeurs", "A smuggling network")))),
}

# Which themes each kind of platform hears about, most frequent first.
PROFILE_THEMES: dict[str, tuple[str, ...]] = {
    "niamey": ("motorbike_theft", "drugs", "lighting", "burglary", "land", "trust", "sgbv", "traffic",
               "youth_gangs"),
    "town": ("youth_gangs", "motorbike_theft", "drugs", "land", "burglary", "sgbv", "traffic",
             "checkpoint_racket", "trust", "cattle_theft", "farmer_herder"),
    "crisis": ("youth_recruitment", "banditry", "checkpoint_racket", "cattle_theft", "farmer_herder",
               "sgbv", "trust", "detention", "drugs"),
    "north": ("migration", "banditry", "checkpoint_racket", "drugs", "burglary", "trust"),
    "national": ("trust", "detention", "sgbv", "youth_recruitment", "checkpoint_racket", "drugs"),
    "radio": ("motorbike_theft", "checkpoint_racket", "detention", "drugs", "traffic", "trust", "sgbv",
              "land", "lighting"),
}


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    place: str  # a place name of DEMO_PLACES (or "Niamey")
    profile: str
    cadence: int  # average days between sessions
    english: float = 0.05  # share of its sessions held in English
    problems: tuple[str, ...] = ()  # theme keys of its priority problems
    venues: tuple[str, ...] = ()


def _hood(quartier: str, *problems: str, cadence: int = 28) -> PlatformSpec:
    return PlatformSpec(f"Plateforme de dialogue communautaire de {quartier}", quartier, "niamey",
                        cadence, 0.05, problems,
                        (f"École primaire de {quartier}", f"Maison des jeunes de {quartier}",
                         f"Domicile du chef de quartier de {quartier}", f"Foyer féminin de {quartier}"))


def _town(name: str, profile: str, *problems: str, english: float = 0.05) -> PlatformSpec:
    kind = "Cadre de concertation communautaire" if profile == "crisis" else "Plateforme de dialogue"
    return PlatformSpec(f"{kind} de {name}", name, profile, 30, english, problems,
                        (f"Salle de réunion de la mairie de {name}", f"Maison des jeunes de {name}",
                         f"Cour de l'école primaire de {name}", f"Place publique de {name}"))


# The order matters: a small run uses the first platforms only.
PLATFORMS: tuple[PlatformSpec, ...] = (
    _hood("Yantala", "motorbike_theft", "drugs", "lighting"),
    _hood("Talladjé", "land", "burglary", "drugs"),
    PlatformSpec("Émission radio « Police et population, parlons-en »", "Niamey", "radio", 21, 0.0,
                 ("checkpoint_racket", "detention"), ("Studio de la radio communautaire, Niamey",)),
    PlatformSpec("Groupe de travail société civile – ministère de l'Intérieur", "Niamey", "national", 30,
                 0.5, ("trust", "detention", "sgbv"),
                 ("Salle de conférence du ministère de l'Intérieur", "Maison de la société civile, Niamey")),
    _town("Diffa", "crisis", "youth_recruitment", "checkpoint_racket", "sgbv", english=0.3),
    _town("Tillabéri", "crisis", "banditry", "youth_recruitment", "farmer_herder"),
    _hood("Lazaret", "drugs", "sgbv", "motorbike_theft"),
    _hood("Harobanda", "lighting", "youth_gangs", "land"),
    _town("Zinder", "town", "youth_gangs", "drugs", "land"),
    _town("Agadez", "north", "migration", "banditry", english=0.2),
    _hood("Boukoki", "burglary", "lighting", "drugs"),
    _town("Bosso", "crisis", "youth_recruitment", "cattle_theft"),
    _town("Ouallam", "crisis", "banditry", "detention"),
    _hood("Gamkallé", "motorbike_theft", "traffic"),
    _town("Maradi", "town", "youth_gangs", "motorbike_theft", "traffic"),
    _town("Téra", "crisis", "youth_recruitment", "checkpoint_racket"),
    _hood("Koira Kano", "burglary", "traffic"),
    _town("Mainé-Soroa", "crisis", "cattle_theft", "farmer_herder"),
    _town("Tahoua", "town", "land", "drugs"),
    _hood("Wadata", "motorbike_theft", "trust"),
    _hood("Banifandou", "drugs", "sgbv"),
    _town("Dosso", "town", "farmer_herder", "traffic"),
    _town("Ayorou", "crisis", "banditry", "cattle_theft"),
    _town("Arlit", "north", "migration", "drugs"),
    _hood("Dar Es Salam", "land", "lighting"),
    _town("N'Guigmi", "crisis", "youth_recruitment", "sgbv"),
    _town("Magaria", "town", "checkpoint_racket", "cattle_theft"),
    _town("Torodi", "crisis", "banditry", "youth_recruitment"),
    _town("Birni N'Konni", "town", "checkpoint_racket", "drugs"),
    _hood("Kirkissoye", "lighting", "land"),
    _town("Filingué", "crisis", "cattle_theft", "detention"),
    _town("Gaya", "town", "checkpoint_racket", "traffic"),
    _hood("Karadjé", "youth_gangs", "burglary"),
    _town("Abala", "crisis", "banditry", "farmer_herder"),
    _town("Tessaoua", "town", "cattle_theft", "land"),
    _hood("Goudel", "drugs", "traffic"),
    PlatformSpec("Émission radio « La sécurité, l'affaire de tous » (Diffa)", "Diffa", "radio", 28, 0.0,
                 ("youth_recruitment", "checkpoint_racket"), ("Studio de la radio communautaire de Diffa",)),
    _town("Toumour", "crisis", "youth_recruitment", "farmer_herder"),
    _hood("Kalley", "burglary", "drugs"),
    _town("Gouré", "town", "farmer_herder", "cattle_theft"),
    _town("Makalondi", "crisis", "banditry", "checkpoint_racket"),
    _town("Dogondoutchi", "town", "land", "sgbv"),
    _town("Bilma", "north", "migration", "banditry"),
)

# Session kinds by platform profile, with weights.
KINDS: dict[str, tuple[tuple[str, int], ...]] = {
    "niamey": (("neighbourhood_dialogue", 80), ("awareness_meeting", 15), ("workshop", 5)),
    "town": (("neighbourhood_dialogue", 80), ("awareness_meeting", 15), ("workshop", 5)),
    "crisis": (("neighbourhood_dialogue", 70), ("awareness_meeting", 25), ("workshop", 5)),
    "north": (("neighbourhood_dialogue", 75), ("awareness_meeting", 20), ("workshop", 5)),
    "national": (("civil_society_exchange", 80), ("workshop", 20)),
    "radio": (("radio_call_in", 1),),
}

# Weekday (Monday 0), start hour and minute, duration in minutes.
SCHEDULE: dict[str, tuple[tuple[int, ...], tuple[int, int], int]] = {
    "neighbourhood_dialogue": ((5, 6), (9, 0), 180),
    "awareness_meeting": ((4, 5, 6), (16, 0), 120),
    "workshop": ((1, 2, 3), (8, 30), 480),
    "civil_society_exchange": ((1, 3), (9, 30), 210),
    "radio_call_in": ((3,), (20, 0), 60),
    "other": ((0, 1, 2, 3, 4), (10, 0), 120),
}

TITLES: dict[str, tuple[T, ...]] = {
    "neighbourhood_dialogue": (
        ("Dialogue communautaire de {place} — {month}", "Community dialogue in {place} — {month}"),
        ("Réunion mensuelle de la plateforme de {place}", "Monthly meeting of the {place} platform"),
        ("Rencontre population–forces de sécurité à {place} : {theme}",
         "Community–security forces meeting in {place}: {theme}")),
    "awareness_meeting": (
        ("Causerie de sensibilisation à {place} : {theme}", "Awareness talk in {place}: {theme}"),
        ("Séance de sensibilisation des femmes et des jeunes de {place}",
         "Awareness session for the women and young people of {place}")),
    "workshop": (
        ("Atelier sur la sécurité collaborative — {place}", "Workshop on collaborative security — {place}"),
        ("Atelier de formation des points focaux sur l'accueil des plaignants",
         "Training workshop for focal points on receiving complainants")),
    "civil_society_exchange": (
        ("Groupe de travail société civile–ministère : session de {month}",
         "Civil society–ministry working group: {month} session"),
        ("Échange société civile–ministère : {theme}", "Civil society–ministry exchange: {theme}")),
    "radio_call_in": (
        ("Émission n° {n} : {theme}", "Show no. {n}: {theme}"),),
}
NATIONAL_WORKSHOPS: tuple[T, ...] = (
    ("Atelier national de rédaction de la stratégie de sécurité collaborative",
     "National workshop drafting the collaborative security strategy"),
    ("Atelier national de validation de la stratégie de sécurité collaborative",
     "National workshop validating the collaborative security strategy"),
    ("Atelier de formation des officiers de liaison au suivi des plaintes",
     "Training workshop for liaison officers on complaint follow-up"),
)

AGENDA_OPEN: tuple[T, ...] = (
    ("Mot de bienvenue du chef de quartier", "Welcome by the neighbourhood chief"),
    ("Ouverture par le président de la plateforme", "Opening by the platform chair"),
    ("Présentation des participants et rappel des règles du dialogue",
     "Introductions and reminder of the dialogue rules"),
)
AGENDA_MIDDLE: tuple[T, ...] = (
    ("Lecture et adoption du compte rendu de la séance précédente",
     "Reading and adoption of the previous minutes"),
    ("Suivi des engagements de la séance précédente", "Follow-up of the previous commitments"),
    ("Préoccupations sécuritaires des habitants", "Residents' security concerns"),
    ("Point sur les plaintes reçues", "Update on complaints received"),
    ("Exposé du commissaire sur la situation sécuritaire",
     "Police chief's briefing on the security situation"),
    ("Travaux de groupes et restitution", "Group work and feedback"),
)
AGENDA_CLOSE: tuple[T, ...] = (
    ("Divers et date de la prochaine rencontre", "Any other business and date of the next meeting"),
    ("Engagements et clôture", "Commitments and closing"),
)
RADIO_AGENDA: tuple[T, ...] = (
    ("Présentation du thème et des invités", "Introduction of the topic and the guests"),
    ("Appels des auditeurs", "Listeners' calls"),
    ("Réponses de la police", "Answers from the police"),
    ("Conseils pratiques et numéros utiles", "Practical advice and useful numbers"),
)

FEMALE = ("Aïchatou", "Mariama", "Hadiza", "Fatouma", "Ramatou", "Zeinabou", "Halima", "Salamatou",
          "Hawa", "Rakiatou", "Balkissa", "Nafissa", "Safiatou", "Amina", "Falmata", "Kadidja",
          "Habsatou", "Maimouna", "Binta", "Hassia")
MALE = ("Abdoulaye", "Ibrahim", "Souleymane", "Moussa", "Amadou", "Oumarou", "Hamidou", "Seyni",
        "Boubacar", "Harouna", "Idrissa", "Yacouba", "Abdou", "Ali", "Hassane", "Sani", "Laouali",
        "Moctar", "Kiari", "Boulama", "Adamou", "Illiassou", "Djibril", "Issaka")
FAMILY = ("Garba", "Moussa", "Hamidou", "Seyni", "Harouna", "Boubacar", "Djibo", "Idrissa", "Hima",
          "Mahamane", "Abdou", "Soumana", "Adamou", "Issa", "Ali", "Oumarou", "Maïga", "Hassane",
          "Yacouba", "Sani", "Laouali", "Manzo", "Tanko", "Kiari", "Mamadou", "Bako", "Souley",
          "Saidou", "Zakari", "Ousmane", "Alkassoum", "Amadou")
POLICE_RANKS = ("Commissaire", "Officier de police", "Inspecteur", "Sergent-chef")
GENDARME_RANKS = ("Capitaine", "Lieutenant", "Adjudant-chef", "Maréchal des logis-chef")

# Attendance: category → (min, max, share of women) by kind of session.
Cell = tuple[int, int, float]
ATTENDANCE: dict[str, dict[str, Cell]] = {
    "neighbourhood_dialogue": {
        "police": (2, 6, 0.15), "gendarmerie": (0, 2, 0.0), "local_authority": (1, 3, 0.25),
        "traditional_chief": (1, 4, 0.0), "religious_leader": (1, 3, 0.0), "women": (6, 22, 1.0),
        "youth": (6, 20, 0.3), "civil_society": (2, 8, 0.4), "other": (0, 6, 0.3)},
    "awareness_meeting": {
        "police": (1, 3, 0.3), "gendarmerie": (0, 2, 0.0), "local_authority": (0, 2, 0.3),
        "traditional_chief": (1, 3, 0.0), "religious_leader": (1, 4, 0.0), "women": (15, 45, 1.0),
        "youth": (15, 40, 0.35), "civil_society": (1, 5, 0.5), "other": (0, 15, 0.3)},
    "workshop": {
        "police": (4, 10, 0.15), "gendarmerie": (3, 8, 0.1), "local_authority": (3, 8, 0.2),
        "traditional_chief": (1, 3, 0.0), "religious_leader": (1, 3, 0.0), "women": (3, 8, 1.0),
        "youth": (2, 6, 0.4), "civil_society": (6, 14, 0.45), "other": (2, 6, 0.3)},
    "civil_society_exchange": {
        "police": (1, 3, 0.2), "gendarmerie": (0, 2, 0.0), "local_authority": (2, 5, 0.3),
        "women": (2, 5, 1.0), "youth": (1, 4, 0.4), "civil_society": (8, 18, 0.45), "other": (0, 3, 0.3)},
    "radio_call_in": {
        "police": (1, 2, 0.2), "civil_society": (1, 2, 0.5), "other": (6, 20, 0.3)},
}
CRISIS_ADJUST = {"police": (0, 3, 0.1), "gendarmerie": (2, 6, 0.05)}

REFERRALS: dict[str, tuple[T, ...]] = {
    "police_conduct": (("Inspection générale des services de sécurité", "Security services inspectorate"),
                       ("Direction régionale de la police", "Regional police directorate")),
    "theft": (("Commissariat de police de {place}", "{place} police station"),),
    "assault": (("Commissariat de police de {place}", "{place} police station"),),
    "sgbv": (("Service de protection des mineurs et des femmes (police)",
              "Police unit for the protection of minors and women"),
             ("Centre de prise en charge des victimes de violences", "Care centre for victims of violence")),
    "drugs": (("Office central de répression du trafic illicite des stupéfiants (OCRTIS)",
               "Central office against drug trafficking (OCRTIS)"),),
    "extremism": (("Brigade de gendarmerie de {place}", "{place} gendarmerie brigade"),
                  ("Service central de lutte contre le terrorisme", "Central counter-terrorism service")),
    "land": (("Commission foncière communale (COFOCOM)", "Communal land commission (COFOCOM)"),
             ("Chef de canton", "Canton chief")),
    "traffic": (("Compagnie de circulation routière", "Traffic police company"),),
    "other": (("Chef de quartier", "Neighbourhood chief"), ("Mairie de {place}", "{place} town hall")),
}
RURAL_REFERRAL: T = ("Brigade de gendarmerie de {place}", "{place} gendarmerie brigade")

OUTCOMES: dict[str, tuple[T, ...]] = {
    "resolved": (
        ("L'auteur a été identifié et déféré au parquet.",
         "The offender was identified and brought before the prosecutor."),
        ("Les biens ont été retrouvés et rendus au plaignant.",
         "The property was found and returned to the complainant."),
        ("Règlement à l'amiable devant le chef de quartier ; les parties sont satisfaites.",
         "Settled amicably before the neighbourhood chief; both parties are satisfied."),
        ("L'agent mis en cause a reçu une sanction disciplinaire.", "The officer concerned was disciplined."),
        ("La victime a été prise en charge et l'auteur est poursuivi.",
         "The victim received care and the offender is being prosecuted.")),
    "closed_unresolved": (
        ("Auteur non identifié ; dossier classé faute de preuves.",
         "Offender not identified; file closed for lack of evidence."),
        ("Le plaignant n'a pas pu être joint pour la suite de l'enquête.",
         "The complainant could not be reached for the rest of the investigation.")),
    "withdrawn": (
        ("Le plaignant a retiré sa plainte après un arrangement entre familles.",
         "The complainant withdrew the complaint after an arrangement between families."),
        ("Retrait de la plainte à la demande du plaignant.",
         "Complaint withdrawn at the complainant's request.")),
}
STATUS_NOTES: dict[str, tuple[T, ...]] = {
    "under_review": (("Examinée par le bureau de la plateforme.", "Examined by the platform committee."),
                     ("Vérification des faits auprès des témoins.", "Facts being checked with witnesses.")),
    "referred": (("Transmise avec le procès-verbal de la séance.", "Passed on with the session report."),
                 ("Transmise par le point focal.", "Passed on by the focal point.")),
    "resolved": (("Réponse reçue et communiquée au plaignant.",
                  "Answer received and passed on to the complainant."),),
    "closed_unresolved": (("Dossier clos sans suite.", "File closed with no further action."),),
    "withdrawn": (("Retrait confirmé par le plaignant.", "Withdrawal confirmed by the complainant."),),
}
STALLED: tuple[T, ...] = (
    ("Pas d'avancée depuis la dernière séance ; le responsable était absent.",
     "No progress since the last meeting; the person responsible was absent."),
    ("Toujours en attente des moyens promis.", "Still waiting for the promised resources."),
    ("Le point sera refait à la prochaine séance.", "To be reviewed again at the next meeting."),
)
DROPPED: tuple[T, ...] = (
    ("Engagement abandonné : il dépasse les moyens de la plateforme.",
     "Commitment dropped: it is beyond the platform's means."),
    ("Abandonné au profit d'une action conjointe avec la mairie.",
     "Dropped in favour of a joint action with the town hall."),
)
AMENDMENTS: tuple[tuple[str, T], ...] = (
    ("attendance", ("Rectificatif : {n} femmes étaient présentes et non {m} ; la feuille de présence "
                    "signée a été recomptée.",
                    "Correction: {n} women attended, not {m}; the signed attendance sheet was recounted.")),
    ("minutes", ("Rectificatif : la gendarmerie était représentée par l'adjudant-chef {name}.",
                 "Correction: the gendarmerie was represented by Warrant Officer {name}.")),
    ("venue", ("Précision sur le lieu de la prochaine rencontre : {venue}.",
               "Clarification on the venue of the next meeting: {venue}.")),
)

FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def pick_weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    """One of ``options`` (value, weight), drawn by weight."""
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]
