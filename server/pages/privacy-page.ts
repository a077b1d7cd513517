// /confidentialite: what the collector keeps about a user's review, for how long, what it publishes
// and whom to ask. Written once per language as whole prose (not string by string), because each
// sentence must stay true as a whole; every figure in it comes from the running configuration.
import { dirOf, type WidgetLang } from '../../shared/questionnaire.ts';
import { contactLink, html, page, type SafeHtml, type HtmlPage } from './html.ts';
import { formatReviews } from './observatory-pages.ts';
import { LANGUAGES, otherWidgetLangs, withLang } from '../../shared/languages.ts';

export interface PrivacyFacts {
  /** Publication threshold of the feed and observatory (FEED_MIN_REVIEWS). */
  minReviews: number;
  /** FREE_TEXT_RETENTION_DAYS: free text older than this is erased every day. */
  retentionDays: number;
  /** OPERATOR_CONTACT: an e-mail address or an http(s) URL, or undefined when the operator has not set it. */
  operatorContact: string | undefined;
}

const TITLE: Record<WidgetLang, string> = {
  fr: 'Confidentialité\u00a0: ce que devient votre avis',
  en: 'Privacy: what happens to your feedback',
  es: 'Privacidad: qué ocurre con su opinión',
  pt: 'Privacidade: o que acontece à sua opinião',
  de: 'Datenschutz: Was mit Ihrer Meinung geschieht',
  it: 'Riservatezza: che cosa succede al suo parere',
  ar: 'الخصوصية: ماذا يحدث لرأيكم',
};

/** The notice's meta description. */
const DESCRIPTION: Record<WidgetLang, string> = {
  fr: 'Ce que le service Je donne mon avis enregistre de votre avis, combien de temps, ce qu’il publie, et qui contacter.',
  en: 'What the Je donne mon avis service stores of your feedback, for how long, what it publishes, and whom to contact.',
  es: 'Lo que el servicio Je donne mon avis guarda de su opinión, durante cuánto tiempo, lo que publica y a quién contactar.',
  pt: 'O que o serviço Je donne mon avis guarda da sua opinião, durante quanto tempo, o que publica e quem contactar.',
  de: 'Was der Dienst Je donne mon avis von Ihrer Meinung speichert, wie lange, was er veröffentlicht und wen Sie kontaktieren können.',
  it: 'Che cosa il servizio Je donne mon avis conserva del suo parere, per quanto tempo, che cosa pubblica e chi contattare.',
  ar: 'ما تحفظه خدمة Je donne mon avis من رأيكم، ولأي مدة، وما تنشره، وبمن تتصلون.',
};

const count = (n: number, lang: WidgetLang) => new Intl.NumberFormat(LANGUAGES[lang].locale).format(n);

const BODY: Record<WidgetLang, (facts: PrivacyFacts) => SafeHtml> = {
  fr: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Vos réponses sont anonymes.</strong> Ce service recueille l’avis des usagers
à la fin d’une démarche en ligne, pour l’administration qui propose cette démarche, et publie des indicateurs de satisfaction.</p>

<h2 id="enregistre">Ce qui est enregistré</h2>
<ul>
<li>votre note («\u00a0Pas bien\u00a0», «\u00a0Moyen\u00a0» ou «\u00a0Très bien\u00a0»), avec la démarche, l’emplacement du bouton, la langue, la date et l’heure\u00a0;</li>
<li>vos réponses aux questions facultatives, si vous y répondez\u00a0;</li>
<li>votre texte libre, si vous en écrivez un\u00a0: avant d’être enregistré, il est débarrassé des données personnelles
qu’il pourrait contenir (adresse électronique, numéro de téléphone, de sécurité sociale, de dossier, IBAN, adresse postale, nom…).
N’y écrivez tout de même rien de personnel.</li>
</ul>
<p>Ne sont enregistrés <strong>ni votre adresse IP, ni l’identité de votre navigateur, ni aucun cookie</strong>\u00a0: ce service
ne dépose pas de cookie et ne mesure pas l’audience.</p>
<p>Pour limiter les envois abusifs, le service calcule une empreinte de votre adresse de connexion avec une clé secrète
qui change chaque jour et n’est jamais écrite sur disque. L’empreinte ne sert qu’à compter les envois de la minute en cours
et les avis donnés à chaque démarche dans la journée\u00a0; elle reste en mémoire, n’est jamais enregistrée et ces comptes sont
oubliés à minuit (UTC)\u00a0; une fois la clé remplacée, plus personne ne peut la rapprocher de votre adresse.</p>
<p>Un code à usage unique vous permet de compléter votre avis pendant une heure\u00a0; le service n’en garde qu’une empreinte.
Si l’envoi échoue faute de connexion, votre avis attend dans votre navigateur (stockage local) et part lors d’une prochaine
visite d’une page qui porte le bouton.</p>

<h2 id="duree">Combien de temps</h2>
<ul>
<li>Le texte libre est effacé au terme d’une durée de conservation fixée par l’exploitant du service\u00a0:
${count(retentionDays, 'fr')} jours. Le code à usage unique qui permet de compléter votre avis est effacé une fois passée l’heure où il sert.</li>
<li>Les notes et les réponses aux questions à choix sont conservées pour suivre les indicateurs dans la durée\u00a0;
elles ne disent rien de qui les a données.</li>
</ul>

<h2 id="publie">Ce qui est publié</h2>
<ul>
<li>Uniquement des indicateurs agrégés par démarche (satisfaction, clarté des informations, aide obtenue…) et le nombre
d’avis, dans l’<a href="/observatoire">observatoire</a> et en données ouvertes.</li>
<li>Une note n’est publiée qu’à partir de ${formatReviews(minReviews, 'fr')} sur la période\u00a0; en dessous, seul le nombre d’avis l’est.</li>
<li>Votre texte libre n’est <strong>jamais publié</strong>\u00a0: seuls l’administration responsable de la démarche et l’exploitant
du service le lisent, pour améliorer la démarche.</li>
</ul>

<h2 id="contact">Qui contacter</h2>
${
  operatorContact
    ? html`<p>Pour toute question sur vos données\u00a0: ${contactLink(operatorContact)} (exploitant du service).</p>`
    : html`<p class="notice">L’exploitant de ce service n’a pas encore indiqué de contact.</p>`
}
<p>Aucun avis n’étant rattaché à une personne, il n’est pas possible de retrouver le vôtre pour vous le communiquer ou l’effacer.
Vous pouvez aussi adresser une réclamation à la <a href="https://www.cnil.fr/fr/plaintes">CNIL</a>.</p>`,

  en: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Your answers are anonymous.</strong> This service collects users’ feedback
at the end of an online procedure, for the administration that runs the procedure, and publishes satisfaction indicators.</p>

<h2 id="enregistre">What is stored</h2>
<ul>
<li>your rating (“Not good”, “Average” or “Very good”), with the procedure, where the button was, the language, the date and the time;</li>
<li>your answers to the optional questions, if you answer them;</li>
<li>your free text, if you write one: before it is stored, personal data it may contain (e-mail address, phone, social
security, file or bank account numbers, postal address, name…) is taken out. Please still write nothing personal.</li>
</ul>
<p><strong>Neither your IP address, nor your browser’s identity, nor any cookie</strong> is stored: this service sets no
cookie and does no audience measurement.</p>
<p>To limit abuse, the service computes a fingerprint of your connection address with a secret key that changes every day
and is never written to disk. The fingerprint only counts what was sent in the current minute and the feedback given to each
procedure in the day; it stays in memory, is never stored, and these counts are forgotten at midnight (UTC); once the key is
replaced, nobody can link it to your address any more.</p>
<p>A one-time code lets you complete your feedback for one hour; the service keeps only a fingerprint of it. If sending
fails for lack of a connection, your feedback waits in your browser (local storage) and is sent on a later visit to a page
that carries the button.</p>

<h2 id="duree">For how long</h2>
<ul>
<li>Free text is erased after a retention period set by the operator of the service:
${count(retentionDays, 'en')} days. The one-time code that lets you complete your feedback is erased once the hour in which it serves has passed.</li>
<li>Ratings and answers to multiple-choice questions are kept to follow the indicators over time; they say nothing of
who gave them.</li>
</ul>

<h2 id="publie">What is published</h2>
<ul>
<li>Only indicators aggregated per procedure (satisfaction, clarity of the information, help received…) and the number
of reviews, in the <a href="/observatoire?lang=en">observatory</a> and as open data.</li>
<li>A score is published only from ${formatReviews(minReviews, 'en')} in the period; below that, only the number of reviews is.</li>
<li>Your free text is <strong>never published</strong>: only the administration in charge of the procedure and the operator
of the service read it, to improve the procedure.</li>
</ul>

<h2 id="contact">Whom to contact</h2>
${
  operatorContact
    ? html`<p>For any question about your data: ${contactLink(operatorContact)} (operator of the service).</p>`
    : html`<p class="notice">The operator of this service has not given a contact yet.</p>`
}
<p>As no review is linked to a person, yours cannot be found to be shown to you or erased. You may also complain to the
<a href="https://www.cnil.fr/en/complaints" hreflang="fr">CNIL</a>, the French data protection authority.</p>`,

  es: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Sus respuestas son anónimas.</strong> Este servicio recoge la opinión de los usuarios
al final de un trámite en línea, para la Administración que ofrece ese trámite, y publica indicadores de satisfacción.</p>

<h2 id="enregistre">Qué se registra</h2>
<ul>
<li>su valoración («Mal», «Regular» o «Muy bien»), con el trámite, el lugar del botón, el idioma, la fecha y la hora;</li>
<li>sus respuestas a las preguntas opcionales, si las contesta;</li>
<li>su texto libre, si escribe uno: antes de registrarlo, se eliminan los datos personales que pudiera contener (dirección de
correo electrónico, número de teléfono, de la seguridad social, de expediente, IBAN, dirección postal, nombre…). Aun así, no escriba nada personal.</li>
</ul>
<p>No se registran <strong>ni su dirección IP, ni la identidad de su navegador, ni ninguna cookie</strong>: este servicio
no instala cookies ni mide la audiencia.</p>
<p>Para limitar los envíos abusivos, el servicio calcula una huella de su dirección de conexión con una clave secreta que cambia
cada día y nunca se escribe en disco. La huella solo sirve para contar los envíos del minuto en curso y las opiniones dadas a cada
trámite durante el día; permanece en memoria, nunca se registra, y esos recuentos se olvidan a medianoche (UTC); una vez sustituida
la clave, nadie puede relacionarla ya con su dirección.</p>
<p>Un código de un solo uso le permite completar su opinión durante una hora; el servicio solo guarda una huella de él. Si el envío
falla por falta de conexión, su opinión espera en su navegador (almacenamiento local) y se envía en una próxima visita a una página
que tenga el botón.</p>

<h2 id="duree">Durante cuánto tiempo</h2>
<ul>
<li>El texto libre se borra al final de un plazo de conservación fijado por quien explota el servicio:
${count(retentionDays, 'es')} días. El código de un solo uso que permite completar su opinión se borra una vez pasada la hora en que sirve.</li>
<li>Las valoraciones y las respuestas a las preguntas de opción se conservan para seguir los indicadores a lo largo del tiempo;
no dicen nada de quién las dio.</li>
</ul>

<h2 id="publie">Qué se publica</h2>
<ul>
<li>Únicamente indicadores agregados por trámite (satisfacción, claridad de la información, ayuda recibida…) y el número
de opiniones, en el <a href="/observatoire">observatorio</a> y como datos abiertos.</li>
<li>Una puntuación solo se publica a partir de ${count(minReviews, 'es')} opiniones en el periodo; por debajo, solo se publica el número de opiniones.</li>
<li>Su texto libre <strong>nunca se publica</strong>: solo lo leen la Administración responsable del trámite y quien explota
el servicio, para mejorar el trámite.</li>
</ul>

<h2 id="contact">A quién dirigirse</h2>
${
  operatorContact
    ? html`<p>Para cualquier pregunta sobre sus datos: ${contactLink(operatorContact)} (responsable de la explotación del servicio).</p>`
    : html`<p class="notice">Quien explota este servicio aún no ha indicado ningún contacto.</p>`
}
<p>Como ninguna opinión está vinculada a una persona, no es posible encontrar la suya para comunicársela o borrarla.
También puede presentar una reclamación ante la <a href="https://www.cnil.fr/fr/plaintes" hreflang="fr">CNIL</a>, la autoridad francesa de protección de datos.</p>`,

  pt: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>As suas respostas são anónimas.</strong> Este serviço recolhe a opinião dos utentes
no final de um procedimento em linha, para a Administração que oferece esse procedimento, e publica indicadores de satisfação.</p>

<h2 id="enregistre">O que é registado</h2>
<ul>
<li>a sua avaliação («Mal», «Razoável» ou «Muito bem»), com o procedimento, o local do botão, a língua, a data e a hora;</li>
<li>as suas respostas às perguntas facultativas, se lhes responder;</li>
<li>o seu texto livre, se escrever um: antes de ser registado, são retirados os dados pessoais que possa conter (endereço de
e-mail, número de telefone, de segurança social, de processo, IBAN, morada, nome…). Mesmo assim, não escreva nada pessoal.</li>
</ul>
<p>Não são registados <strong>nem o seu endereço IP, nem a identidade do seu navegador, nem qualquer cookie</strong>: este serviço
não instala cookies nem mede audiências.</p>
<p>Para limitar envios abusivos, o serviço calcula uma impressão do seu endereço de ligação com uma chave secreta que muda todos
os dias e nunca é escrita em disco. A impressão serve apenas para contar os envios do minuto em curso e as opiniões dadas a cada
procedimento durante o dia; fica em memória, nunca é registada, e essas contagens são esquecidas à meia-noite (UTC); depois de a
chave ser substituída, ninguém a pode voltar a relacionar com o seu endereço.</p>
<p>Um código de utilização única permite-lhe completar a sua opinião durante uma hora; o serviço guarda apenas uma impressão dele.
Se o envio falhar por falta de ligação, a sua opinião espera no seu navegador (armazenamento local) e é enviada numa próxima visita
a uma página que tenha o botão.</p>

<h2 id="duree">Durante quanto tempo</h2>
<ul>
<li>O texto livre é apagado no fim de um prazo de conservação fixado pelo operador do serviço:
${count(retentionDays, 'pt')} dias. O código de utilização única que permite completar a sua opinião é apagado depois de passada a hora em que serve.</li>
<li>As avaliações e as respostas às perguntas de escolha são conservadas para acompanhar os indicadores ao longo do tempo;
nada dizem sobre quem as deu.</li>
</ul>

<h2 id="publie">O que é publicado</h2>
<ul>
<li>Apenas indicadores agregados por procedimento (satisfação, clareza das informações, ajuda obtida…) e o número
de opiniões, no <a href="/observatoire">observatório</a> e como dados abertos.</li>
<li>Uma classificação só é publicada a partir de ${count(minReviews, 'pt')} opiniões no período; abaixo disso, só o número de opiniões é publicado.</li>
<li>O seu texto livre <strong>nunca é publicado</strong>: só a Administração responsável pelo procedimento e o operador
do serviço o leem, para melhorar o procedimento.</li>
</ul>

<h2 id="contact">Quem contactar</h2>
${
  operatorContact
    ? html`<p>Para qualquer questão sobre os seus dados: ${contactLink(operatorContact)} (operador do serviço).</p>`
    : html`<p class="notice">O operador deste serviço ainda não indicou um contacto.</p>`
}
<p>Como nenhuma opinião está ligada a uma pessoa, não é possível encontrar a sua para lha comunicar ou apagar.
Pode também apresentar uma reclamação à <a href="https://www.cnil.fr/fr/plaintes" hreflang="fr">CNIL</a>, a autoridade francesa de proteção de dados.</p>`,

  de: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Ihre Antworten sind anonym.</strong> Dieser Dienst sammelt die Meinung der Nutzerinnen und Nutzer
am Ende eines Online-Verfahrens für die Verwaltung, die dieses Verfahren anbietet, und veröffentlicht Zufriedenheitsindikatoren.</p>

<h2 id="enregistre">Was gespeichert wird</h2>
<ul>
<li>Ihre Bewertung („Nicht gut“, „Mittelmäßig“ oder „Sehr gut“) mit dem Verfahren, der Stelle der Schaltfläche, der Sprache, dem Datum und der Uhrzeit;</li>
<li>Ihre Antworten auf die freiwilligen Fragen, wenn Sie sie beantworten;</li>
<li>Ihr freier Text, wenn Sie einen schreiben: Vor dem Speichern werden personenbezogene Daten daraus entfernt (E-Mail-Adresse,
Telefon-, Sozialversicherungs- oder Aktennummer, IBAN, Postanschrift, Name …). Schreiben Sie dennoch nichts Persönliches.</li>
</ul>
<p>Gespeichert werden <strong>weder Ihre IP-Adresse noch die Kennung Ihres Browsers noch ein Cookie</strong>: Dieser Dienst
setzt keine Cookies und misst keine Reichweite.</p>
<p>Um Missbrauch zu begrenzen, berechnet der Dienst einen Fingerabdruck Ihrer Verbindungsadresse mit einem geheimen Schlüssel, der
sich täglich ändert und nie auf einen Datenträger geschrieben wird. Der Fingerabdruck dient nur dazu, die Sendungen der laufenden
Minute und die am Tag zu jedem Verfahren abgegebenen Meinungen zu zählen; er bleibt im Arbeitsspeicher, wird nie gespeichert, und
diese Zählungen werden um Mitternacht (UTC) vergessen; sobald der Schlüssel ersetzt ist, kann niemand ihn mehr mit Ihrer Adresse verbinden.</p>
<p>Mit einem Einmalcode können Sie Ihre Meinung eine Stunde lang ergänzen; der Dienst behält davon nur einen Fingerabdruck. Scheitert
das Senden mangels Verbindung, wartet Ihre Meinung in Ihrem Browser (lokaler Speicher) und wird bei einem späteren Besuch einer Seite
mit der Schaltfläche gesendet.</p>

<h2 id="duree">Wie lange</h2>
<ul>
<li>Freier Text wird nach einer vom Betreiber des Dienstes festgelegten Aufbewahrungsfrist gelöscht:
${count(retentionDays, 'de')} Tage. Der Einmalcode zum Ergänzen Ihrer Meinung wird gelöscht, sobald die Stunde, für die er gilt, vorbei ist.</li>
<li>Bewertungen und Antworten auf Auswahlfragen werden aufbewahrt, um die Indikatoren über die Zeit zu verfolgen;
sie sagen nichts darüber, wer sie abgegeben hat.</li>
</ul>

<h2 id="publie">Was veröffentlicht wird</h2>
<ul>
<li>Nur je Verfahren zusammengefasste Indikatoren (Zufriedenheit, Klarheit der Informationen, erhaltene Hilfe …) und die Anzahl
der Meinungen, im <a href="/observatoire">Observatorium</a> und als offene Daten.</li>
<li>Eine Note wird erst ab ${count(minReviews, 'de')} Meinungen im Zeitraum veröffentlicht; darunter nur die Anzahl der Meinungen.</li>
<li>Ihr freier Text wird <strong>nie veröffentlicht</strong>: Nur die für das Verfahren zuständige Verwaltung und der Betreiber
des Dienstes lesen ihn, um das Verfahren zu verbessern.</li>
</ul>

<h2 id="contact">An wen Sie sich wenden können</h2>
${
  operatorContact
    ? html`<p>Für alle Fragen zu Ihren Daten: ${contactLink(operatorContact)} (Betreiber des Dienstes).</p>`
    : html`<p class="notice">Der Betreiber dieses Dienstes hat noch keinen Kontakt angegeben.</p>`
}
<p>Da keine Meinung mit einer Person verknüpft ist, kann Ihre nicht wiedergefunden werden, um sie Ihnen mitzuteilen oder zu löschen.
Sie können sich auch bei der <a href="https://www.cnil.fr/fr/plaintes" hreflang="fr">CNIL</a>, der französischen Datenschutzbehörde, beschweren.</p>`,

  it: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Le sue risposte sono anonime.</strong> Questo servizio raccoglie il parere degli utenti
al termine di una procedura online, per l’amministrazione che offre la procedura, e pubblica indicatori di soddisfazione.</p>

<h2 id="enregistre">Che cosa viene registrato</h2>
<ul>
<li>la sua valutazione («Male», «Così così» o «Molto bene»), con la procedura, la posizione del pulsante, la lingua, la data e l’ora;</li>
<li>le sue risposte alle domande facoltative, se risponde;</li>
<li>il suo testo libero, se ne scrive uno: prima della registrazione ne vengono tolti i dati personali che potrebbe contenere
(indirizzo e-mail, numero di telefono, di previdenza sociale, di pratica, IBAN, indirizzo postale, nome…). Non scriva comunque nulla di personale.</li>
</ul>
<p>Non vengono registrati <strong>né il suo indirizzo IP, né l’identità del suo browser, né alcun cookie</strong>: questo servizio
non installa cookie e non misura l’audience.</p>
<p>Per limitare gli invii abusivi, il servizio calcola un’impronta del suo indirizzo di connessione con una chiave segreta che cambia
ogni giorno e non viene mai scritta su disco. L’impronta serve solo a contare gli invii del minuto in corso e i pareri dati a ogni
procedura nella giornata; resta in memoria, non viene mai registrata e questi conteggi vengono dimenticati a mezzanotte (UTC); una volta
sostituita la chiave, nessuno può più collegarla al suo indirizzo.</p>
<p>Un codice monouso le permette di completare il suo parere per un’ora; il servizio ne conserva solo un’impronta. Se l’invio non
riesce per mancanza di connessione, il suo parere attende nel suo browser (memoria locale) e parte alla prossima visita di una pagina
che ha il pulsante.</p>

<h2 id="duree">Per quanto tempo</h2>
<ul>
<li>Il testo libero viene cancellato al termine di un periodo di conservazione fissato dal gestore del servizio:
${count(retentionDays, 'it')} giorni. Il codice monouso che permette di completare il suo parere viene cancellato una volta trascorsa l’ora in cui serve.</li>
<li>Le valutazioni e le risposte alle domande a scelta vengono conservate per seguire gli indicatori nel tempo;
non dicono nulla di chi le ha date.</li>
</ul>

<h2 id="publie">Che cosa viene pubblicato</h2>
<ul>
<li>Solo indicatori aggregati per procedura (soddisfazione, chiarezza delle informazioni, aiuto ricevuto…) e il numero
di pareri, nell’<a href="/observatoire">osservatorio</a> e come dati aperti.</li>
<li>Un punteggio viene pubblicato solo a partire da ${count(minReviews, 'it')} pareri nel periodo; al di sotto, viene pubblicato solo il numero di pareri.</li>
<li>Il suo testo libero <strong>non viene mai pubblicato</strong>: lo leggono solo l’amministrazione responsabile della procedura e il gestore
del servizio, per migliorare la procedura.</li>
</ul>

<h2 id="contact">Chi contattare</h2>
${
  operatorContact
    ? html`<p>Per qualsiasi domanda sui suoi dati: ${contactLink(operatorContact)} (gestore del servizio).</p>`
    : html`<p class="notice">Il gestore di questo servizio non ha ancora indicato un contatto.</p>`
}
<p>Poiché nessun parere è collegato a una persona, non è possibile ritrovare il suo per comunicarglielo o cancellarlo.
Può anche presentare un reclamo alla <a href="https://www.cnil.fr/fr/plaintes" hreflang="fr">CNIL</a>, l’autorità francese per la protezione dei dati.</p>`,

  ar: ({ minReviews, retentionDays, operatorContact }) => html`<p><strong>إجاباتكم مجهولة الهوية.</strong> تجمع هذه الخدمة آراء المستخدمين
في نهاية إجراء إلكتروني، لصالح الإدارة التي تقدّم هذا الإجراء، وتنشر مؤشرات للرضا.</p>

<h2 id="enregistre">ما الذي يُسجَّل</h2>
<ul>
<li>تقييمكم («غير جيدة» أو «متوسطة» أو «جيدة جدًا»)، مع الإجراء وموضع الزر واللغة والتاريخ والساعة؛</li>
<li>إجاباتكم عن الأسئلة الاختيارية، إن أجبتم عنها؛</li>
<li>نصّكم الحر، إن كتبتم نصًا: قبل تسجيله، تُحذف منه البيانات الشخصية التي قد يحتويها (عنوان البريد الإلكتروني، رقم الهاتف،
رقم الضمان الاجتماعي، رقم الملف، رقم الحساب المصرفي IBAN، العنوان البريدي، الاسم…). ومع ذلك، لا تكتبوا فيه شيئًا شخصيًا.</li>
</ul>
<p>لا يُسجَّل <strong>لا عنوان IP الخاص بكم، ولا هوية متصفحكم، ولا أي ملف تعريف ارتباط (كوكي)</strong>: لا تضع هذه الخدمة
أي ملف تعريف ارتباط ولا تقيس عدد الزوار.</p>
<p>للحدّ من الإرسال المفرط، تحسب الخدمة بصمة لعنوان اتصالكم بمفتاح سري يتغير كل يوم ولا يُكتب أبدًا على القرص. لا تُستخدم
البصمة إلا لعدّ ما أُرسل في الدقيقة الجارية والآراء المُبداة في كل إجراء خلال اليوم؛ وتبقى في الذاكرة ولا تُسجَّل أبدًا، وتُنسى هذه
الأعداد عند منتصف الليل (بالتوقيت العالمي)؛ وبعد استبدال المفتاح، لا يعود بإمكان أحد ربطها بعنوانكم.</p>
<p>يتيح لكم رمز يُستعمل مرة واحدة إكمال رأيكم خلال ساعة؛ ولا تحتفظ الخدمة إلا ببصمة منه. وإذا فشل الإرسال بسبب انقطاع الاتصال،
ينتظر رأيكم في متصفحكم (التخزين المحلي) ويُرسَل عند زيارتكم القادمة لصفحة تحمل الزر.</p>

<h2 id="duree">لأي مدة</h2>
<ul>
<li>يُحذف النص الحر عند انتهاء مدة حفظ يحددها مشغّل الخدمة:
${count(retentionDays, 'ar')} يومًا. ويُحذف الرمز الذي يُستعمل مرة واحدة لإكمال رأيكم بعد انقضاء الساعة التي يصلح فيها.</li>
<li>تُحفظ التقييمات والإجابات عن الأسئلة ذات الخيارات لمتابعة المؤشرات مع مرور الوقت؛ ولا تكشف شيئًا عمّن أبداها.</li>
</ul>

<h2 id="publie">ما الذي يُنشر</h2>
<ul>
<li>مؤشرات مجمّعة لكل إجراء فقط (الرضا، وضوح المعلومات، المساعدة المتلقاة…) وعدد الآراء، في
<a href="/observatoire">المرصد</a> وكبيانات مفتوحة.</li>
<li>لا تُنشر أي درجة إلا إذا بلغ عدد الآراء خلال الفترة ${count(minReviews, 'ar')} على الأقل؛ وإلا فلا يُنشر سوى عدد الآراء.</li>
<li>نصّكم الحر <strong>لا يُنشر أبدًا</strong>: لا يقرؤه إلا الإدارة المسؤولة عن الإجراء ومشغّل الخدمة، بهدف تحسين الإجراء.</li>
</ul>

<h2 id="contact">بمن تتصلون</h2>
${
  operatorContact
    ? html`<p>لأي سؤال حول بياناتكم: ${contactLink(operatorContact)} (مشغّل الخدمة).</p>`
    : html`<p class="notice">لم يحدد مشغّل هذه الخدمة جهة اتصال بعد.</p>`
}
<p>بما أنه لا يرتبط أي رأي بشخص بعينه، لا يمكن العثور على رأيكم لإطلاعكم عليه أو حذفه.
ويمكنكم أيضًا تقديم شكوى إلى <a href="https://www.cnil.fr/fr/plaintes" hreflang="fr">CNIL</a>، الهيئة الفرنسية لحماية البيانات.</p>`,
};

export function privacyPage(facts: PrivacyFacts, lang: WidgetLang): HtmlPage {
  return page({
    lang,
    dir: dirOf(lang),
    title: `${TITLE[lang]} – Je donne mon avis`,
    description: DESCRIPTION[lang],
    body: html`<header class="site"><p><a href="/">Je donne mon avis</a></p></header>
<main>
<p class="lang-switch">${otherWidgetLangs(lang).map((other) => html`<a href="${withLang('/confidentialite', other)}" lang="${other}" hreflang="${other}">${LANGUAGES[other].name}</a>`)}</p>
<h1>${TITLE[lang]}</h1>
${BODY[lang](facts)}
</main>`,
  });
}
