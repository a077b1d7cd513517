import { GIVEN_NAMES, SURNAMES } from './name-lists.ts';

// The name lists, read once when the scrubber is first loaded (`npm run bench:scrub` prints the time and
// memory this takes). A word is looked up as written, and in its capitalized form when the user typed it
// in capitals (« BERTRAND » is « Bertrand »).

const toSet = (words: string): ReadonlySet<string> => new Set(words.split('|').filter((w) => w !== ''));

/**
 * Names the faker locales lack although many people in France bear them, written for this project (no
 * third-party data): frequent French (Breton and older ones among them), West African, Maghrebi,
 * Vietnamese, Chinese, Turkish, Romanian and Ukrainian given names and surnames, in their French
 * spellings, with and without accents. Words that are also
 * French or English words (« Sow », « Fall », « Bah », « Pape ») and names of two letters are left out.
 */
const ADDED_GIVEN_NAMES =
  'Thi|Huong|Linh|Anh|Ngoc|Tuan|Quang|Hoang|Thanh|Trang|Phuong|Duc|Hung|Lan|Mai|Hanh|Kofi|Kwame|Priya|Rajesh|' +
  'Oleksandr|Olena|Oksana|Svetlana|Tetiana|Vasile|Ionut|Ionuț|Gheorghe|Mihai|Andreea|Florin|Ayşe|Ayse|Hüseyin|' +
  'Huseyin|Mustafa|Djamel|Farid|Tarek|Tarik|Siham|Naima|Naïma|Hafida|Houria|Fatiha|Saïda|Saida|Zahia|Nacer|Lakhdar|' +
  'Abdelaziz|Abdellah|Abderrahmane|Mounir|Mourad|Redouane|Nordine|Noureddine|Kamel|Kader|Yamina|Ouarda|Djamila|' +
  'Fatoumata|Kadiatou|Mariama|Ramatoulaye|Aïssatou|Aissatou|Oumou|Coumba|Ndeye|Fatou|Astou|Mamadou|Ibrahima|' +
  'Ousmane|Souleymane|Boubacar|Abdoulaye|Seydou|Lamine|Modou|Cheikh|Aliou|Sékou|Sekou|Wei|Jing|Xiao|' +
  'Yuki|Hiroshi|Sakura|Ghislaine|Soizic|Rozenn|Grégory|Ginette|Josette|Micheline|Murielle|Karima|Annick|Maryvonne|' +
  'Gilberte|Lucette|Rémy|Gwendal|Tugdual|Affoué|Akissi|Adjoua|Kouamé|Koffi|Babacar|Fallou|Maimouna|Dieynaba|Ndèye|' +
  'Rokhaya|Nafissatou|Fernand|Ioana|Souad|Ibtissem|Hanane|Dmitri|Xuan|' +
  'Nolwenn|Gwenola|Lénaïg|Goulven|Maëla|Aodren|Gislaine|Jeannine|Fernande|Lætitia|Zélie|Farida|Wafa|Khaled|Hocine|Slimane|Toufik|' +
  'Thao|Quynh|Bao|Khanh|Tuyet|Hoa|Oanh|Jia|Mei|Ling|Yan|Ying|Hao|Ming|Anand|Deepak|Sanjay|Sunita|Pooja|Kiran|Vikram|Olha|Iryna|' +
  'Yulia|Mariia|Andrii|Serhii|Vasyl|Mykola|Kateryna|Darya|Artem|Ionela|Alexandru|Sorin|Dragos|Emine|Kemal|Kwabena|Adjoa|Chioma|' +
  'Chinedu|Ngozi|Emeka|Adebayo|Folake|Tunde';
const ADDED_SURNAMES =
  'Diallo|Traoré|Traore|Koné|Kone|Keita|Keïta|Cissé|Cisse|Diop|Ndiaye|Touré|Toure|Sylla|Fofana|Bamba|Coulibaly|' +
  'Dembélé|Dembele|Konaté|Konate|Sissoko|Sangaré|Sangare|Kouyaté|Kouyate|Mendy|Gomis|Sarr|Gueye|Mbaye|Diarra|' +
  'Doumbia|Kanté|Kante|Camara|Soumaré|Soumare|Baldé|Balde|Barry|Sané|Sane|Badji|Diatta|Sagna|Ndour|Seck|' +
  'Benali|Haddad|Bensaïd|Bensaid|Belkacem|Mansouri|Benhamou|Bouzid|Boukhari|Cherif|Chérif|Hamidi|Kaci|Mebarki|' +
  'Saidi|Saïdi|Amrani|Alaoui|Benjelloun|Idrissi|Benmoussa|Bouaziz|Brahimi|Hadjadj|Meziane|Belaid|Belaïd|Boudjema|' +
  'Chaouch|Djebbar|Ferhat|Guerfi|Hamdi|Khelifi|Lahlou|Mahdi|Messaoudi|Rahmani|Slimani|Taleb|Zerrouki|Ziani|' +
  'Benyahia|Bensalem|Benaissa|Ouali|Aït|Amara|Tran|Pham|Huynh|Hoang|Ngo|Duong|Nguyen|Phan|Truong|Dao|Trinh|' +
  'Zhang|Wang|Chen|Liu|Yang|Huang|Zhao|Zhou|Yilmaz|Yılmaz|Kaya|Demir|Öztürk|Ozturk|Çelik|Celik|Şahin|Sahin|' +
  'Aydın|Aydin|Arslan|Doğan|Dogan|Kılıç|Kilic|Popescu|Ionescu|Popa|Stan|Dumitru|Constantin|Ivanov|Petrov|' +
  'Kovalenko|Shevchenko|Bondarenko|Melnyk|Tkachenko|' +
  'Lefèvre|Rivière|Payet|Carré|Ménard|Bertin|Bailly|Gall|Bouvier|Prévost|Besson|Langlois|Goff|' +
  'Pelletier|Lévêque|Leblanc|Barré|Lebrun|Hamon|Monnier|Michaud|Guichard|Gillet|Grondin|Tessier|' +
  'Chevallier|Chauvin|Bouchet|Lemaître|Bénard|Maréchal|Reynaud|Hoarau|Hoareau|Cordier|Pichon|Lejeune|' +
  'Lamy|Delaunay|Pasquier|Carlier|Laporte|Kerbrat|Bihan|Floch|Quéré|Cadiou|Kerjean|Riou|Jaouen|' +
  'Guivarch|Morvan|Corre|Técher|Nativel|Ramassamy|Virapin|Kouassi|Ouattara|Diabaté|Sanogo|Ouédraogo|' +
  'Zongo|Kaboré|Sawadogo|Diouf|Mbengue|Ngom|Thiam|Niang|Ndoye|Benslimane|Bouzidi|Chaouche|Belkhir|' +
  'Haddadi|Amrouche|Boudiaf|Mammeri|Zidane|Ferrand|' +
  'André|Guérin|Guerin|François|Gérard|Dupré|Hervé|Léger|Mallet|Étienne|Poulain|Collin|Antoine|Barthélemy|Gilbert|Lacoste|Lemonnier|Bouchard|Texier|Devaux|Leduc|Lebon|Lebreton|Brunel|Guillou|Hamel|Lemaitre|Leconte|Chauveau|Jourdan|Leveque|Bousquet|Labbé|Launay|Tanguy|Jouan|Gallet|Raynaud|Lecoq|Bazin|Maillot|Thibault|Delmas|Bouvet|Chauvet|Charrier|Chabert|Hebert|Hébert|Verdier|Lemarchand|Benard|Delorme|Guillon|Guillet|Besnard|Drouet|Lebeau|Pottier|Descamps|Delattre|Lefort|Ledoux|Leray|Rault|Goncalves|Cohen|Levy|Lévy|Jacquot|Collignon|Godard|Roques|Delage|Bodin|Bellanger|Tournier|Fouquet|Gosselin|Rigaud|Bayle|Jolivet|Benoît|Lefranc|Lemercier|Thibaut|Charlier|Moulinier|Dupre|Herve|Leger|Etienne|Barthelemy|' +
  'Dias|Araujo|Hernandez|Gomez|Diaz|Jimenez|Ruiz|Alvarez|Dominguez|Sanz|Nunez|Benabdallah|Bouchareb|Djellouli|Khelil|Lounis|' +
  'Mansour|Bennani|Chraibi|Tazi|Fassi|Berrada|Belhadj|Trabelsi|Jebali|Gharbi|Mejri|Ayari|Jlassi|Hammami|Dridi|Kaddour|Boukhalfa|' +
  'Larbi|Aouadi|Haddou|Medjahed|Ziane|Zouaoui|Benmansour|Mokrani|Amrane|Kherbouche|Ludwig|Bergmann|Okonkwo|Okafor|Boateng|Owusu|' +
  'Asante|Diakité|Kamara|Sesay|Bangura|Conteh|Koroma|Faye|Diagne|Gning|Dieng|Cissokho|Kaba|Kouadio|Konan|Koffi|Brou|Nguessan|' +
  'Tanoh|Dang|Bui|Dinh|Luong|Luo|Zheng|Liang|Xie|Feng|Deng|Peng|Zeng|Xiao|Tian|Yuan|Cai|Jiang|Cheng|Shen|Cui|Zhong|Liao|Xiong|' +
  'Xue|Duan|Gong|Shao|Qian|Xiang|Guo|Gao|Zhu';

/** The two lists as sets; called once here, and again by the benchmark to time it. */
export function readNameLists(): { givenNames: ReadonlySet<string>; surnames: ReadonlySet<string> } {
  return { givenNames: toSet(`${GIVEN_NAMES}|${ADDED_GIVEN_NAMES}`), surnames: toSet(`${SURNAMES}|${ADDED_SURNAMES}`) };
}

const { givenNames, surnames } = readNameLists();

/**
 * Given names that are far more often a common word, a place or a brand in these comments (« Rose, bleu,
 * vert », « mon opérateur c'est Orange », « Saint-Étienne »): a word of this list is a name only where the
 * context says so (a civility, « je m'appelle », a signature), never on its own.
 */
const COMMON_WORDS = new Set(
  (
    'Rose|Olive|Grâce|Pierre|Olivier|Marguerite|France|Orange|Free|Poste|Constance|Aurore|Patience|Sauveur|Florence|Nancy|Lourdes|Valence|' +
    'Victoire|Espérance|Prudence|Clémence|Fidèle|Parfait|Juste|Modeste|Désiré|Aimé|Honoré|Constant|Clément|Blanche|Reine|Prince|' +
    'Ange|Amour|Perle|Lune|Jade|Cerise|Violette|Capucine|Colombe|Basile|Océane|Toussaint|Noël|Noel|Pascal|Claire|Line|Paris|Avril|' +
    'Mai|April|May|June|Will|Bill|Mark|Frank|Art|Guy|Grace|Hope|Faith|Joy|Summer|Dawn|Chance|Sky|River|Stone|Hunter|Porter|Carter|' +
    'King|Miller|Sage|Ivy|Lee|Jo|Ida|Ira|Eve|Elle|Bon|Ali|Alma|Ana|Ann|Christian|Martin|Marin|Lucie|Victor|Hugo|Jean|Saint|Sainte|' +
    'Gloire|Soleil|Salut|Bonne|Bravo|Merci|Madame|Monsieur|Page|Wade|Vale|Mars|Prime|Charge|Chase|Price|Rich|Young|Baker|Cook|Smith'
  ).split('|'),
);

const capitalized = (word: string): string => word[0]! + word.slice(1).toLowerCase();
/** « BERTRAND » is looked up as « Bertrand »; « Bertrand » as it is (no string is built for it). */
const HAS_INNER_CAPITAL = /^.[\s\S]*\p{Lu}/u;
const lookUp = (list: ReadonlySet<string>, word: string): string | null =>
  list.has(word) ? word : HAS_INNER_CAPITAL.test(word) && list.has(capitalized(word)) ? capitalized(word) : null;

/** A given name of the list, and not a common word that happens to be one. */
export function isGivenName(word: string): boolean {
  // « Anne-Sophie », « Pierre-Yves »: each part a given name; « Saint-Jean » is a place.
  if (word.includes('-'))
    return !word.startsWith('Saint') && word.split('-').every((part) => part !== '' && lookUp(givenNames, part) !== null);
  const found = lookUp(givenNames, word);
  return found !== null && !COMMON_WORDS.has(found);
}

/** A surname of the list (« Le Goff » is looked up as « Goff »). */
export function isSurname(word: string): boolean {
  return lookUp(surnames, word) !== null;
}

/** Any name of either list, common words included: for places where the context already says « a person ». */
export function isKnownName(word: string): boolean {
  return lookUp(givenNames, word) !== null || isSurname(word);
}
